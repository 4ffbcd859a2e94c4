// Scripts → "Runs this session" after the page was away (newuser10 #9): a run whose job was
// cancelled and deleted elsewhere stood "running" for good, as resync dropped the 404. Now a
// job_not_found marks the entry deleted (and opening it says so, no "Loading…"); any other failure
// (the server away) keeps the entry as it was and reads it again later.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setTransport } from '../../renderer/src/api/client'
import { ApiError, type Transport } from '../../renderer/src/api/transport'
import { useScripts, type ScriptRunEntry } from '../../renderer/src/stores/scripts'
import type { JobSummary } from '../../shared/model'

/** A transport whose jobs.get answers `get(id)` (a summary, or an error to throw); other calls answer empty. */
function transport(get: (id: number) => JobSummary | ApiError): Transport {
  return {
    kind: 'http',
    send: (async (name: string, params: { id: number }) => {
      if (name === 'jobs.get') {
        const r = get(params.id)
        if (r instanceof ApiError) throw r
        return r
      }
      return name === 'jobs.logs' ? { lines: [] } : []
    }) as Transport['send'],
    subscribe: () => () => {},
    apiDocsUrl: () => Promise.resolve(null),
  }
}

const entry = (jobId: number): ScriptRunEntry => ({ jobId, language: 'shell', firstLine: 'sleep 300', code: 'sleep 300', status: 'running' })
const gone = (id: number) => new ApiError({ kind: 'not_found', code: 'job_not_found', message: `job ${id} does not exist` })
const away = new ApiError({ kind: 'unavailable', code: 'unreachable', message: 'JobDesk is not reachable; reconnecting…' })

afterEach(() => {
  vi.useRealTimers()
  setTransport(null)
  useScripts.setState(useScripts.getInitialState(), true)
})

describe('Scripts resync of this session’s unfinished runs', () => {
  it('marks a deleted run deleted; keeps one it could not read and reads it again later', async () => {
    vi.useFakeTimers()
    let up = false
    setTransport(transport((id) => (id === 1 ? gone(1) : up ? ({ id, status: 'succeeded' } as JobSummary) : away)))
    useScripts.setState({ history: [entry(1), entry(2)] })
    await useScripts.getState().resync()
    expect(useScripts.getState().history.map((h) => [h.jobId, h.status, h.deleted ?? false])).toEqual([
      [1, 'running', true],
      [2, 'running', false],
    ])
    up = true
    await vi.advanceTimersByTimeAsync(20_000)
    expect(useScripts.getState().history.map((h) => [h.jobId, h.status, h.deleted ?? false])).toEqual([
      [1, 'running', true],
      [2, 'succeeded', false],
    ])
  })

  it('opening a deleted run says it was deleted instead of loading for good', async () => {
    setTransport(transport((id) => gone(id)))
    useScripts.setState({ history: [entry(3)] })
    await useScripts.getState().open(3)
    expect(useScripts.getState()).toMatchObject({ jobId: 3, job: null, jobDeleted: true })
    expect(useScripts.getState().history[0].deleted).toBe(true)
  })
})
