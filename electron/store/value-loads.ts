// Loads of finished values in the value worker (value-reader.ts) for finished-values.ts: one load per
// value however many answers wait for it, a load no answer waits for any more leaves the worker's
// line, and what a load read is not used when its job was written while it ran.
import type { JobValueName } from './job.repository'
import type { ValueReader } from './value-reader'
import { KeyedCounts } from '../keyed-counts'

/**
 * Loads through `read`, one at a time per value key (`${jobId}:${name}`). `loaded(key, bytes, stale)`
 * is told what each load read (null: the job has none; undefined: no such job), `stale` when its job
 * was written (`written`) while it ran, and gives what the load's answers get (undefined: none); a
 * load that fails gives undefined without it. `load` resolves with that, or with undefined at once
 * when `signal` aborts first; a load still waiting for a thread leaves the worker's line once no
 * answer waits for it: the line refuses no load, so one asked for by answers that went away would
 * otherwise run later for nobody. A load takes its thread on the share of the `owner` whose answer
 * started it (ValueRead: the user it is for), so one user's loads never queue another's behind all of
 * theirs (atk13); an answer of another user waiting for the same value waits for that load.
 */
export function valueLoads<V>(read: ValueReader, loaded: (key: string, bytes: Buffer | null | undefined, stale: boolean) => V | undefined) {
  /** Loads under way, one per value: how many answers wait for each, and what drops it from the worker's line once none does. */
  const loading = new Map<string, { load: Promise<V | undefined>; wanted: number; unwanted: AbortController }>()
  const writes = new Map<number, number>() // writes of each job seen while a load of its values was under way
  // reads of each job's values on a thread, abandoned ones included: `writes` is kept while any runs, as a
  // read abandoned mid-way outlives its place in `loading` and must still see a write that came meanwhile
  const reading = new KeyedCounts<number>()

  const start = (jobId: number, name: JobValueName, key: string, owner: string) => {
    const seen = writes.get(jobId) ?? 0
    writes.set(jobId, seen)
    reading.add(jobId)
    const unwanted = new AbortController()
    const load = read(jobId, name, { owner, signal: unwanted.signal })
      .then(
        (bytes) => loaded(key, bytes, writes.get(jobId) !== seen),
        () => undefined, // the first slice loads it, as without a reader (or no answer waits for it any more)
      )
      .finally(() => {
        if (loading.get(key) === under) loading.delete(key)
        if (reading.remove(jobId) === 0) writes.delete(jobId)
      })
    const under = { load, wanted: 0, unwanted }
    loading.set(key, under)
    return under
  }

  return {
    /**
     * Job `jobId`'s `name` value (its key `key`) as `loaded` made it, or undefined (see valueLoads), for
     * an answer of user `owner` ('' for none) until `signal` aborts (its client hung up).
     */
    load(jobId: number, name: JobValueName, key: string, owner: string, signal?: AbortSignal): Promise<V | undefined> {
      const under = loading.get(key) ?? start(jobId, name, key, owner)
      under.wanted++
      return new Promise((resolve) => {
        let waits = true
        const stop = (value: V | undefined) => {
          if (!waits) return
          waits = false
          signal?.removeEventListener('abort', gone)
          under.wanted--
          resolve(value)
        }
        const gone = () => {
          stop(undefined)
          if (under.wanted > 0) return
          if (loading.get(key) === under) loading.delete(key) // an answer asking next starts a load of its own
          under.unwanted.abort()
        }
        if (signal?.aborted) return gone()
        signal?.addEventListener('abort', gone, { once: true })
        void under.load.then(stop)
      })
    },
    /** Job `jobId` was written: what a load of its values under way reads is stale. */
    written(jobId: number): void {
      if (writes.has(jobId)) writes.set(jobId, writes.get(jobId)! + 1)
    },
  }
}
