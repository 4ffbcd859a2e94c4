// A result set made by a SQL script job of a served app, as the Linkis download tests read it.

/**
 * Submits SQL `code` as a script job through `call` (a fetch of the app's paths as its admin), waits
 * until it succeeds (throws if it fails), and gives its first result set's Linkis path
 * (`file:///jobdesk/admin/result/<job>/_0.dolphin`).
 */
export async function sqlResultPath(call: (path: string, init?: RequestInit) => Promise<Response>, code: string): Promise<string> {
  const job = (await (await call('/api/v1/jobs', { method: 'POST', body: JSON.stringify({ type: 'script', language: 'sql', code }) })).json()) as { id: number }
  for (let status = ''; status !== 'succeeded'; ) {
    await new Promise((r) => setTimeout(r, 250))
    status = ((await (await call(`/api/v1/jobs/${job.id}`)).json()) as { status: string }).status
    if (status === 'failed') throw new Error('the SQL job failed')
  }
  return `file:///jobdesk/admin/result/${job.id}/_0.dolphin`
}
