import type { Store } from '../../electron/store'

/**
 * A finished (succeeded) script job of `submitter` named `name` (also its uuid) whose stored input is
 * `bytes` of JSON, `{"s":"…"}` with the string made of `fill`: its id and that JSON. For the tests of
 * finished values (store/finished-values.ts), which read such inputs held, kept or sliced.
 */
export function finishedScriptJob(store: Store, submitter: string, name: string, bytes: number, fill = 'x'): { id: number; json: string } {
  const json = `{"s":"${fill.repeat(bytes - 8)}"}`
  const id = store.jobs.create({ uuid: name, kind: 'script', name, submitter, input: { s: '' }, inputJson: json }, [])
  store.jobs.saveJob({ ...store.jobs.getWithoutState(id)!, status: 'succeeded', finishedAt: 1 }, false, false)
  return { id, json }
}
