// Attack (hostile second user → admin): "Trojan Source" (CVE-2021-42574) in a job's code. A user with
// the scripts right submits a SQL job whose text holds Unicode bidi controls (U+202E RIGHT-TO-LEFT
// OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE … U+2069 POP DIRECTIONAL ISOLATE). The admin opens the job on
// the Jobs page: the "Code (sql)" block draws the characters reordered, so it shows code that is not
// what runs (below, the tail `'\u202Eevil' AS rtl` reads "'SA 'live ltr"). The admin's Rerun runs that
// code again as the admin (jobs.service rerun: "the actor, not the original submitter"), in the admin's
// own scratch database. The Scripts editor (CodeMirror) marks these characters; the job detail does
// not. Expected: the code view shows every bidi control visibly (a marker or escape, as the editor
// does), so the text drawn is the text that runs. Fails today: the <pre> holds the raw controls.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createUser } from '../support/users'
import { SHOTS, browserSuite, drawnText, signIn } from './support'

const suite = browserSuite({ width: 1400, height: 860 })

/** Bidi embedding, override and isolate controls, and the marks: the characters Trojan Source uses. */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/

describe('a job’s code as the admin sees it', () => {
  it('shows bidi controls in another user’s code visibly instead of reordering the text', async () => {
    const { page, served, token } = suite
    const mallory = await createUser({ url: served.url, token }, 'mallory', { rights: ['scripts'] })
    // what runs: one statement and a trailing column; what is drawn: the tail reversed
    const code = `SELECT 'weekly totals' AS report, '\u202E;stroper ELBAT PORD\u2066' AS note`
    const res = await fetch(`${served.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mallory.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'script', language: 'sql', code, name: 'weekly totals' }),
    })
    expect(res.status).toBe(201)
    const { id } = (await res.json()) as { id: number }
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/jobs/${id}`)
    const shown = page.getByTestId('job-code')
    await shown.waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'attack-bidi-job-code.png') })
    const text = await drawnText(shown)
    expect(text).toContain('weekly totals') // the right block
    expect(text, 'the admin’s view of the code draws raw bidi controls').not.toMatch(BIDI)
    expect(text, 'each control is drawn as its escape').toContain('⟨U+202E⟩')
    // the admin's Rerun runs mallory's code as the admin: it asks first, saying so, with the code marked
    await page.getByRole('button', { name: 'Rerun', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: resolve(SHOTS, 'attack-bidi-job-code-rerun-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })
    expect(await dialog.getByTestId('rerun-runs-as').textContent()).toMatch(/submitted by mallory.*runs as you/)
    const asked = await drawnText(dialog.getByTestId('rerun-code'))
    expect(asked).toContain('weekly totals')
    expect(asked, 'the Rerun question draws raw bidi controls').not.toMatch(BIDI)
    await dialog.getByRole('button', { name: 'Back' }).click()
    expect(await page.getByRole('dialog').count(), 'Back runs nothing').toBe(0)
  })
})
