// Desktop notifications of the desktop app (#13.7): a job the desktop user started that ends while
// the window is not in front shows a system notification; a click opens that job. Electron cannot
// run here: its module is a factory whose Notification records what would be shown.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeEngine, submit } from '../support/engine'
import { tempStore } from '../support/temp-store'

const shown: { title: string; body: string; click: () => void }[] = []
vi.mock('electron', () => ({
  Notification: class {
    static isSupported = () => true
    private click: () => void = () => undefined
    constructor(private readonly o: { title: string; body: string }) {}
    on(event: string, fn: () => void) {
      if (event === 'click') this.click = fn
    }
    show() {
      shown.push({ title: this.o.title, body: this.o.body, click: () => this.click() })
    }
  },
}))

let cleanup: (() => void) | undefined
afterEach(() => {
  cleanup?.()
  shown.length = 0
})

async function setUp(o: { focused?: boolean; enabled?: boolean; user?: string } = {}) {
  const { notifyJobEnds } = await import('../../electron/main/notifications')
  const t = tempStore()
  cleanup = t.cleanup
  const engine = makeEngine(t.store)
  const opened: number[] = []
  const off = notifyJobEnds({ engine, user: () => o.user ?? 'admin', enabled: () => o.enabled ?? true, focused: () => o.focused ?? false, open: (id) => opened.push(id) })
  return { engine, opened, off }
}

describe('desktop notifications (main)', () => {
  it('shows one notification when the user’s job ends, and a click opens that job', async () => {
    const { engine, opened, off } = await setUp()
    const ok = submit(engine, [{ name: 'a', executor: 'noop' }], 'nightly report')
    await engine.waitFor(ok.id)
    const bad = submit(engine, [{ name: 'a', executor: 'noop', spec: { fail: 'disk full' } }], 'broken')
    await engine.waitFor(bad.id)
    off()
    expect(shown.map((n) => n.title)).toEqual([`Job #${ok.id} succeeded`, `Job #${bad.id} failed`])
    expect(shown[0].body).toBe('nightly report')
    expect(shown[1].body).toContain('broken: ')
    shown[1].click()
    expect(opened).toEqual([bad.id])
  })

  it('stays quiet while the window is in front, when turned off, and for other users’ jobs', async () => {
    for (const o of [{ focused: true }, { enabled: false }, { user: 'bob' }]) {
      const { engine, off } = await setUp(o)
      await engine.waitFor(submit(engine, [{ name: 'a', executor: 'noop' }]).id)
      off()
      cleanup?.()
      cleanup = undefined
      expect(shown, JSON.stringify(o)).toEqual([])
    }
  })
})
