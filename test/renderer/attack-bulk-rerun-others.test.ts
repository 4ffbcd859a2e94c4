// Attack (hostile second user → admin, atk23): the single Rerun of another user's job asks first
// (RerunConfirm: "submitted by mallory … runs as you, with your rights", code shown with bidi
// controls marked). The Jobs table's bulk Rerun does not: the admin checks a few rows, one of them
// mallory's (a name like "weekly totals"), and the question lists only ids and "Each runs again as a
// new job, submitted by you." — mallory's shell code then runs as the admin, unseen. Expected: a bulk
// rerun that includes another user's job says whose it is and that it runs with the admin's rights.
// Fixed: a bulk rerun reruns only your own jobs; the others are listed as left out, each a link to its
// page, whose own Rerun shows the code first (RerunConfirm).
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { JobSummary } from '../../shared/model'
import { BulkConfirm, bulkPlan } from '../../renderer/src/features/jobs/BulkBar'

const summary = (id: number, submitter: string, name: string): JobSummary => ({
  id, uuid: `u${id}`, kind: 'script', name, status: 'succeeded', progress: 1, error: null, submitter,
  createdAt: 1, startedAt: 1, finishedAt: 2, taskCount: 1, labels: {}, parentJobId: null,
})

describe('bulk Rerun of jobs that include another user’s', () => {
  it('says whose job it reruns and that it runs with your rights, as the single Rerun does', () => {
    // the listed jobs and who is signed in come from the Jobs page (BulkBar's stores)
    const items = [summary(41, 'admin', 'nightly'), summary(42, 'mallory', 'weekly totals')]
    const html = renderToStaticMarkup(createElement(BulkConfirm, { action: 'rerun', ids: [41, 42], items, me: 'admin', onClose: () => {} }))
    expect(html).toContain('#42')
    expect(html, 'the question names the other submitter').toContain('mallory')
    expect(html, 'and says the rerun has your rights').toMatch(/your rights/)
    expect(html, 'the bulk rerun itself reruns only the admin’s own job').toContain('Rerun 1 job')
  })

  it('reruns only your own jobs; another’s, or one whose submitter is not listed, is left out', () => {
    const items = [summary(41, 'admin', 'nightly'), summary(42, 'mallory', 'weekly totals')]
    expect(bulkPlan('rerun', [41, 42, 43], items, 'admin')).toEqual({
      targets: [41],
      skipped: [],
      others: [
        { id: 42, name: 'weekly totals', submitter: 'mallory' },
        { id: 43, name: null, submitter: null },
      ],
    })
    expect(bulkPlan('rerun', [41], items, undefined).targets, 'no session: nothing is known to be yours').toEqual([])
    expect(bulkPlan('delete', [41, 42], items, 'admin').targets, 'delete is not limited to your own jobs').toEqual([41, 42])
  })
})
