// The DAG-completion callback (rillflow.md §4.3) is POSTed to `callback.resourceName` when an
// execution ends. Checked where it is given (add_descriptor, the submit `callback` parameter), so a
// URL that cannot be called is a clear error then rather than a failure when the execution ends.

/**
 * Why a callback's `resourceName` cannot be used, or null when it can. Only http(s) URLs are
 * called (others are ignored, as before); one that looks like a URL but does not parse
 * (`http://127.0.0.1:99999/`, a port out of range) is a problem.
 */
export function callbackUrlProblem(resourceName: string | undefined): string | null {
  if (!resourceName || !/^https?:\/\//i.test(resourceName)) return null
  try {
    new URL(resourceName)
    return null
  } catch {
    return `callback resourceName "${resourceName}" is not a valid URL`
  }
}
