// Attack (hostile second user → admin): job names that mimic other text. A plain user submits script
// jobs named `invoice-2026\u202Efdp.exe` (U+202E RIGHT-TO-LEFT OVERRIDE) and `a\u200Bdmin backup`
// (U+200B ZERO WIDTH SPACE). The native API stores them as given (schemas.ts checks only the length),
// and the admin's Jobs page draws them raw: the detail heading reads "#1 invoice-2026exe.pdf", and the
// second is indistinguishable from a job named "admin backup" (screenshot: both rows read plainly).
// Expected: such a name is refused at submit, or every place the UI shows it (the table's cell and
// the detail's heading) makes the invisible characters visible. Fails today: both are drawn raw.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createUser } from '../support/users'
import { SHOTS, browserSuite, drawnText, signIn } from './support'

const suite = browserSuite({ width: 1400, height: 860 })

/** Bidi controls and marks, and zero-width characters: text that is not drawn as itself. */
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u061C\u2060\uFEFF]/

describe('another user’s job names on the admin’s Jobs page', () => {
  it('never draws bidi overrides or zero-width characters raw', async () => {
    const { page, served, token } = suite
    const mallory = await createUser({ url: served.url, token }, 'mallory')
    const ids: number[] = []
    for (const name of ['invoice-2026\u202Efdp.exe', 'a\u200Bdmin backup']) {
      const res = await fetch(`${served.url}/api/v1/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mallory.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'script', language: 'sql', code: 'SELECT 1', name }),
      })
      if (res.status === 201) ids.push(((await res.json()) as { id: number }).id)
      else expect(res.status, 'a refused name is a client error').toBe(400)
    }
    await signIn(page, served.url)
    for (const id of ids) {
      await page.goto(`${served.url}/#/jobs/${id}`)
      const heading = page.getByRole('heading', { name: `#${id}`, exact: false }).first()
      await heading.waitFor()
      const cell = page.locator('td.name').filter({ hasText: /invoice|backup/ })
      await page.screenshot({ path: resolve(SHOTS, `attack-bidi-job-name-${id}.png`) })
      expect(await drawnText(heading), 'the detail heading draws the name raw').not.toMatch(INVISIBLE)
      for (const one of await cell.all()) expect(await drawnText(one), 'the table draws the name raw').not.toMatch(INVISIBLE)
    }
  })
})
