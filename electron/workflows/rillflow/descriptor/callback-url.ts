// The DAG-completion callback (rillflow.md §4.3) is POSTed to `callback.resourceName` when an
// execution ends. Checked where it is given (add_descriptor, the submit `callback` parameter), so a
// URL that cannot be called is a clear error then rather than a failure when the execution ends.

/**
 * Why a callback's `resourceName` cannot be used, or null when it can (or when there is none). It is
 * POSTed to, so it must be an http(s) URL that parses: `file:`, `javascript:`, `data:`, a bare host
 * or `http://127.0.0.1:99999/` (a port out of range) are problems.
 */
export function callbackUrlProblem(resourceName: string | undefined): string | null {
  if (!resourceName) return null
  if (!/^https?:\/\//i.test(resourceName)) return `callback resourceName "${resourceName}" is not an http(s) URL`
  try {
    new URL(resourceName)
    return null
  } catch {
    return `callback resourceName "${resourceName}" is not a valid URL`
  }
}
