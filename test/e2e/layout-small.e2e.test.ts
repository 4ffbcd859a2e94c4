// Layout at 900×600 (#13.4): every page fits, with the sidebar collapsed or not, and no button,
// field or link is clipped, pushed off screen or laid over another.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, apiLogin, browserSuite, signIn, type Served, poll } from './support'

const suite = browserSuite({ width: 900, height: 600 })

let served: Served
let page: Page
let token: string
beforeAll(async () => {
  ;({ served, page } = suite)
  token = await apiLogin(served.url)
})

const FLOW = `workspace: demo
dagName: small
type: flow
tasks:
  - {category: pass, name: first, next: second}
  - {category: function, name: second, pattern: task_sync, resourceName: "http://127.0.0.1:1/x"}
`

/**
 * Controls that a user cannot fully see or hit: text cut off inside them, lying outside the window
 * or outside an ancestor that clips (not one that scrolls), or overlapping another control.
 */
async function layoutProblems(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const problems: string[] = []
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}[${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30) || el.className}]`
    const controls = [...document.querySelectorAll<HTMLElement>('button, input, select, a[href], textarea, [role="button"]')].filter((el) => {
      if (el.closest('.cm-editor, .react-flow__renderer, .react-flow__minimap, dialog:not([open])')) return false
      const r = el.getBoundingClientRect()
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'
    })
    const rects = controls.map((el) => el.getBoundingClientRect())
    const inside = (r: DOMRect, b: DOMRect) => r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1
    controls.forEach((el, i) => {
      const r = rects[i]
      if (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} text cut off`)
      let scrolled = false // inside a scrolling box: reachable by scrolling, judged only where it shows
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a)
        const overflow = style.overflowX + style.overflowY
        const b = a.getBoundingClientRect()
        if (/(auto|scroll)/.test(overflow)) {
          scrolled = !inside(r, b)
          break // the scrolling box bounds it from here on
        } else if (/(hidden|clip)/.test(overflow) && !inside(r, b)) problems.push(`${name(el)} clipped by ${a.className || a.tagName}`)
      }
      if (scrolled) return
      if (r.right > innerWidth + 1 || r.left < -1 || r.bottom > innerHeight + 1) problems.push(`${name(el)} off screen`)
      // what a click at its centre would hit: itself, or something laid over it
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
      if (hit && !el.contains(hit) && !hit.contains(el) && !(el.tagName === 'INPUT' && hit.tagName === 'LABEL' && hit.contains(el))) {
        problems.push(`${name(el)} covered by ${name(hit)}`)
      }
      for (let j = i + 1; j < controls.length; j++) {
        const o = rects[j]
        if (controls[j].contains(el) || el.contains(controls[j])) continue
        const w = Math.min(r.right, o.right) - Math.max(r.left, o.left)
        const h = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top)
        if (w > 2 && h > 2) problems.push(`${name(el)} overlaps ${name(controls[j])}`)
      }
    })
    return problems
  })
}

const nav = (name: string) => page.getByRole('navigation', { name: 'main' }).getByRole('button', { name, exact: true }).click()

async function check(shot: string): Promise<void> {
  await page.waitForTimeout(300) // layout settles (fit view, lazy pages)
  await page.screenshot({ path: resolve(SHOTS, shot) })
  expect(await layoutProblems(page)).toEqual([])
}

describe('900×600', () => {
  it('Jobs, with a job open and jobs checked', async () => {
    for (const code of ['echo one', 'echo two', 'sleep 30']) await api(served.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code })
    await signIn(page, served.url)
    await page.locator('tr[data-job-id="2"]').click()
    await page.locator('tr[data-job-id="1"]').getByRole('checkbox').click()
    await check('small-jobs.png')
  })

  it('Scripts', async () => {
    await nav('Scripts')
    await page.getByTestId('script-editor').waitFor()
    await check('small-scripts.png')
  })

  it('Workflows, designing and showing a run', async () => {
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: FLOW })
    const { jobId } = await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId })
    await nav('Workflows')
    // narrow: the list starts folded; the handle shows it
    await page.getByRole('button', { name: 'show the workflow list' }).click()
    await page.screenshot({ path: resolve(SHOTS, 'small-workflows-list.png') }) // a drawer over the editor
    await page.getByTestId('wf-item-demo:small').click() // and it makes way for the picked workflow
    await poll(() => page.getByTestId('wf-item-demo:small').count()).toBe(0)
    await check('small-workflows-design.png')
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}?execution=${jobId}`)
    await expect.poll(() => page.getByTestId('wf-node-second').getAttribute('data-status'), { timeout: 15_000 }).toBe('failed')
    await check('small-workflows-run.png')
  })

  it('Imports, Graph and Settings', async () => {
    await nav('Imports')
    await check('small-imports.png')
    await nav('Graph')
    await check('small-graph.png')
    await nav('Settings')
    await check('small-settings.png')
  })

  it('collapses the sidebar to icons, and keeps that over a reload', async () => {
    await nav('Jobs')
    await page.getByRole('button', { name: 'collapse the sidebar' }).click()
    const width = async () => (await page.getByRole('navigation', { name: 'main' }).boundingBox())!.width
    await poll(width).toBeLessThan(70)
    await check('small-jobs-collapsed.png')
    await page.reload()
    await page.getByRole('heading', { name: 'Jobs' }).waitFor()
    expect(await width()).toBeLessThan(70)
    await nav('Workflows') // the collapsed buttons keep their names
    await page.getByTestId('yaml-editor').waitFor()
    await check('small-workflows-collapsed.png')
    await page.getByRole('button', { name: 'expand the sidebar' }).click()
    await poll(width).toBeGreaterThan(120)
  })
})
