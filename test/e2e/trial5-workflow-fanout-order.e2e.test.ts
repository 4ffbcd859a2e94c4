// #13.3 trial: a task whose `next` lists twelve tasks ("w01,…,w12") is drawn with its branches in
// the reverse of that order: top-down, w12 is leftmost and w01 rightmost; left-right, w12 is on top.
// The issue asks for branches in YAML order, as Airflow and Dagster draw a fan-out.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'
import { WIDE_FLOW } from './flows'

const WIDE = WIDE_FLOW.replace('dagName: wide', 'dagName: fanout')
const BRANCHES = Array.from({ length: 12 }, (_, i) => `w${String(i + 1).padStart(2, '0')}`)

const suite = browserSuite({ width: 1280, height: 800 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

/** The branches' names ordered by where they are drawn along `axis` (left to right, or top to bottom). */
const drawnOrder = (axis: 'x' | 'y') =>
  page.evaluate(
    ({ names, axis }) =>
      names
        .map((n) => ({ n, at: document.querySelector(`[data-testid="wf-node-${n}"]`)!.getBoundingClientRect()[axis] }))
        .sort((a, b) => a.at - b.at)
        .map((e) => e.n),
    { names: BRANCHES, axis },
  )

describe('Workflows: a fan-out is drawn in YAML order', () => {
  it('top-down left to right, and left-right top to bottom, as `next` lists them', async () => {
    const { descriptorId } = await api(served.url, suite.token, 'POST', '/api/v1/workflows', { text: WIDE })
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
    await poll(() => page.locator('.wf-node').count()).toBe(14)
    await page.screenshot({ path: resolve(SHOTS, 'trial5-fanout-top-down.png') })
    expect(await drawnOrder('x')).toEqual(BRANCHES)
    await page.getByRole('button', { name: '→ Left-right' }).click()
    await poll(() => drawnOrder('y')).toEqual(BRANCHES)
  })
})
