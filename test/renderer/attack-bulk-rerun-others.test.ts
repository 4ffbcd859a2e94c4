// Attack (hostile second user → admin, atk23): the single Rerun of another user's job asks first
// (RerunConfirm: "submitted by mallory … runs as you, with your rights", code shown with bidi
// controls marked). The Jobs table's bulk Rerun does not: the admin checks a few rows, one of them
// mallory's (a name like "weekly totals"), and the question lists only ids and "Each runs again as a
// new job, submitted by you." — mallory's shell code then runs as the admin, unseen. Expected: a bulk
// rerun that includes another user's job says whose it is and that it runs with the admin's rights.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { afterAll, describe, expect, it } from 'vitest'
import type { JobSummary } from '../../shared/model'
import { BulkConfirm } from '../../renderer/src/features/jobs/BulkBar'
import { useJobs } from '../../renderer/src/stores/jobs'

const summary = (id: number, submitter: string, name: string): JobSummary => ({
  id, uuid: `u${id}`, kind: 'script', name, status: 'succeeded', progress: 1, error: null, submitter,
  createdAt: 1, startedAt: 1, finishedAt: 2, taskCount: 1, labels: {},
})

const before = useJobs.getState().items
afterAll(() => useJobs.setState({ items: before }))

describe('bulk Rerun of jobs that include another user’s', () => {
  it('says whose job it reruns and that it runs with your rights, as the single Rerun does', () => {
    useJobs.setState({ items: [summary(41, 'admin', 'nightly'), summary(42, 'mallory', 'weekly totals')] })
    const html = renderToStaticMarkup(createElement(BulkConfirm, { action: 'rerun', ids: [41, 42], onClose: () => {} }))
    expect(html).toContain('#42')
    expect(html, 'the question names the other submitter').toContain('mallory')
    expect(html, 'and says the rerun has your rights').toMatch(/your rights/)
  })
})
