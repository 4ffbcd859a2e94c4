// Check parses each file's first 1 MiB only; for a bigger file it said "No problems found: … the first
// N lines parse" and nothing more, as if the whole file had been read (#9 LOW, lows #2). It now says
// which files it read in part, their label, and how much of each.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, mainNav, poll } from './support'

const suite = browserSuite({ width: 1400, height: 860 }, { signedIn: true })
let page: Page
beforeAll(() => ({ page } = suite))

/** A header and `rows` lines of persons: id, name, age (~23 bytes a line). */
const persons = (rows: number) => Buffer.from(`id,name,age\n${Array.from({ length: rows }, (_, i) => `${i + 1},Person ${i + 1},${20 + (i % 50)}`).join('\n')}\n`)

describe('Check of a file bigger than it reads', () => {
  it('says it read it in part: its label, its first 1 MiB of its size, the lines read', async () => {
    await mainNav(page, 'Imports')
    await page.getByRole('heading', { name: 'Imports' }).waitFor()
    const big = persons(150_000) // ~3.2 MiB
    await page.getByTestId('file-input').setInputFiles([{ name: 'partly_people.csv', mimeType: 'text/csv', buffer: big }])
    const button = page.getByRole('button', { name: 'Check', exact: true })
    await expect.poll(() => button.isEnabled(), { timeout: 30_000 }).toBe(true)
    await button.click()
    await page.getByTestId('check-ok').waitFor()
    await poll(() => page.getByTestId('check-partial').textContent()).toMatch(
      /^Checked in part \(the import reads every line\): partly_people\.csv \(vertex partly_people\): its first 1 MiB of 3\.\d MiB, [\d,]+ data lines\.$/,
    )
    await page.screenshot({ path: resolve(SHOTS, 'import-check-partial.png') })
  })
})
