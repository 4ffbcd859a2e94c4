// The Jobs and Scripts pages showed the server's refusals as it words them for API clients (lower
// case, no full stop, API field names) beside the other pages' sentences: their stores now say them
// as formError does (features/shell/form-errors.ts).
import { afterEach, describe, expect, it } from 'vitest'
import { setTransport } from '../../renderer/src/api/client'
import { ApiError, type Transport } from '../../renderer/src/api/transport'
import { useJobs } from '../../renderer/src/stores/jobs'
import { useScripts } from '../../renderer/src/stores/scripts'
import type { ErrorBody } from '../../shared/errors'

/** A transport that refuses every call with `body`, as the server's error envelope says it. */
function refusing(body: ErrorBody): Transport {
  return {
    kind: 'http',
    send: (() => Promise.reject(new ApiError(body))) as Transport['send'],
    subscribe: () => () => {},
    apiDocsUrl: () => Promise.resolve(null),
  }
}

afterEach(() => {
  setTransport(null)
  useJobs.setState(useJobs.getInitialState(), true)
  useScripts.setState(useScripts.getInitialState(), true)
})

describe('stores say the server’s refusals as sentences', () => {
  it('Jobs: a refused cancel, a bulk refusal and a failed first page', async () => {
    setTransport(refusing({ kind: 'conflict', code: 'job_finished', message: 'job 7 has already finished' }))
    await useJobs.getState().cancel(7)
    expect(useJobs.getState().error).toBe('Job 7 has already finished.')
    const outcome = await useJobs.getState().runBulk('cancel', [7])
    expect(outcome.failed).toEqual([{ id: 7, message: 'Job 7 has already finished.' }])
    await useJobs.getState().refresh()
    expect(useJobs.getState().list.error).toBe('Job 7 has already finished.')
  })

  it('Scripts: a refused run names the field as the toolbar does; the page’s own refusals read alike', async () => {
    setTransport(refusing({ kind: 'invalid', code: 'invalid_request', message: 'timeoutSeconds must be at most 604800', field: 'timeoutSeconds' }))
    await useScripts.getState().run()
    expect(useScripts.getState().error).toBe('The timeout must be at most 604800.')
    useScripts.getState().setDraft('  ')
    await useScripts.getState().run()
    expect(useScripts.getState().error).toBe('The script is empty.')
  })
})
