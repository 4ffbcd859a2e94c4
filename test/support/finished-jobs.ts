// Finished jobs with a large stored input, for the tests of finished values read in slices
// (store/finished-values.ts: kept, held by answers, read off the main thread).
import { afterEach } from 'vitest'
import type { Store } from '../../electron/store'
import { tempStore } from './temp-store'

export const MB = 1024 * 1024

/** A job input's JSON text `{"s":"…"}` whose string is `fill` repeated `times` times. */
export const inputJsonOf = (times: number, fill = 'x'): string => `{"s":"${fill.repeat(times)}"}`

/**
 * A succeeded script job in `store` (its uuid and name `uuid`, submitted by `submitter`) whose stored
 * input is `inputJson` (its parsed input left as `{ s: '' }`: the tests read the stored text); its id.
 */
export function finishedScriptJob(store: Store, uuid: string, inputJson: string, submitter = 'u1'): number {
  return finish(store, store.jobs.create({ uuid, kind: 'script', name: uuid, submitter, input: { s: '' }, inputJson }, []))
}

/** Marks the stored job `id` of `store` succeeded (finished at 1 ms), its values left as stored; returns `id`. */
export function finish(store: Store, id: number): number {
  store.jobs.saveJob({ ...store.jobs.getWithoutState(id)!, status: 'succeeded', finishedAt: 1 }, false, false)
  return id
}

/**
 * For a test file (call at its top level): `open()` gives a real store in a temp folder (tempStore),
 * closed and removed after the test that opened it.
 */
export function storesPerTest(): { open(): ReturnType<typeof tempStore> } {
  let cleanups: (() => void)[] = []
  afterEach(() => {
    for (const c of cleanups) c()
    cleanups = []
  })
  return {
    open() {
      const t = tempStore()
      cleanups.push(t.cleanup)
      return t
    },
  }
}

/**
 * A finished script job of `submitter` named `name` (also its uuid) whose stored input is `bytes` of
 * JSON, `{"s":"…"}` with the string made of `fill`: its id and that JSON.
 */
export function finishedJobOfBytes(store: Store, submitter: string, name: string, bytes: number, fill = 'x'): { id: number; json: string } {
  const json = inputJsonOf(bytes - 8, fill)
  return { id: finishedScriptJob(store, name, json, submitter), json }
}
