// A job's name may hold no control or invisible character, whatever kind of job it is (#9, atk28: an
// algorithm job took `pay\u202Eroll` while a script job refused it). The engine asks it of every job it
// is given (Engine.submitMany), so the check is one and no path can miss it; a name JobDesk makes from
// other text (a code's first line, files' paths, the older job a rerun copies) drops those characters
// (engine/job-name.ts newJobName, shared/hidden-chars.ts nameFromText).
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_JOB_NAME, newJobName } from '../../electron/engine/job-name'
import { cutText, nameCharProblem, nameFromText } from '../../shared/hidden-chars'
import { makeEngine } from '../support/engine'
import { tempStore } from '../support/temp-store'
import { JOB_KINDS } from '../../shared/model'
import type { NewJob } from '../../electron/store/job.repository'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('nameFromText', () => {
  it('drops invisible characters and makes a control a space; a name nameCharProblem passes', () => {
    for (const [text, shown] of [
      ["select '\u202Eabc' as x", "select 'abc' as x"],
      ['a\u200Bdmin\uFEFF', 'admin'],
      ['select\t1', 'select 1'],
      ['admin\uFE0F', 'admin'], // a variation selector after a Latin letter draws nothing
      ['two\u2028lines', 'two lines'],
    ] as const) {
      expect(nameFromText(text), JSON.stringify(text)).toBe(shown)
      expect(nameCharProblem(nameFromText(text))).toBeNull()
    }
  })

  it('keeps what is drawn: look-alike spaces, emoji with their joiners and forms, other scripts', () => {
    for (const kept of ['weekly\u3000report', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467} family', '\u2764\uFE0F team', '東京 שלום', 'import into g: a.csv']) expect(nameFromText(kept)).toBe(kept)
  })
})

describe('newJobName', () => {
  it('takes a given name trimmed and cut, as it is otherwise (the engine judges it)', () => {
    expect(newJobName('  nightly  ', () => 'unused')).toBe('nightly')
    expect(newJobName('pay\u202Eroll', () => 'unused')).toBe('pay\u202Eroll')
    expect(newJobName('x'.repeat(300), () => 'unused')).toHaveLength(MAX_JOB_NAME)
  })

  it('makes a name from other text when none is given, without its hidden characters', () => {
    for (const none of [undefined, '', '   ', 42]) expect(newJobName(none, () => "select '\u202Eabc'")).toBe("select 'abc'")
    expect(newJobName(undefined, () => 'x'.repeat(215))).toHaveLength(215) // as long as its maker made it (a graph workflow's name and time)
  })
})

describe('Engine.submit: the one check of every job’s name', () => {
  const job = (kind: NewJob['kind'], name: string): NewJob => ({ uuid: randomUUID(), kind, name, submitter: 'admin' })

  it('refuses a name with a hidden character for any kind of job, naming the field and the character, storing nothing', () => {
    const t = tempStore()
    const engine = makeEngine(t.store)
    cleanup = () => {
      engine.stop()
      t.cleanup()
    }
    const before = t.store.jobs.list({ limit: 10 }).total
    for (const kind of JOB_KINDS) {
      let error: unknown
      try {
        engine.submit(job(kind, 'pay\u202Eroll'), [{ name: 't', executor: 'noop' }])
      } catch (e) {
        error = e
      }
      expect(error, kind).toMatchObject({ code: 'name_hidden_char', field: 'name', message: 'name contains U+202E RIGHT-TO-LEFT OVERRIDE at position 4' })
    }
    expect(() => engine.submitMany([{ job: job('dag', 'fine'), tasks: [{ name: 't', executor: 'noop' }] }, { job: job('dag', 'a\u200Bdmin'), tasks: [{ name: 't', executor: 'noop' }] }])).toThrow(/U\+200B/)
    expect(t.store.jobs.list({ limit: 10 }).total).toBe(before)
    expect(engine.submit(job('dag', 'weekly\u3000report'), [{ name: 't', executor: 'noop' }]).name).toBe('weekly\u3000report')
  })
})

describe('lone surrogates (half of a character) in names', () => {
  const smile = '\u{1F600}' // two UTF-16 units

  it('refuses a given name holding one, naming it; a whole character passes', () => {
    expect(nameCharProblem(`ab\uD83D`)).toBe('contains U+D83D LONE SURROGATE (half of a character) at position 3')
    expect(nameCharProblem(`\uDE00ab`)).toBe('contains U+DE00 LONE SURROGATE (half of a character) at position 1')
    expect(nameCharProblem(`a${smile}\uDE00`)).toMatch(/U\+DE00 .* at position 3$/)
    expect(nameCharProblem(`a${smile}b`)).toBeNull()
    expect(nameFromText(`ab\uD83Dc`)).toBe('abc') // a name made from text drops it
  })

  it('cuts names between characters, never between the halves of one', () => {
    expect(cutText(`${'a'.repeat(76)}${smile}xyz`, 77)).toBe('a'.repeat(76))
    expect(cutText(`${'a'.repeat(75)}${smile}xyz`, 77)).toBe(`${'a'.repeat(75)}${smile}`)
    expect(cutText('short', 77)).toBe('short')
    const given = newJobName(`${'a'.repeat(MAX_JOB_NAME - 1)}${smile}`, () => 'unused')
    expect(given).toBe('a'.repeat(MAX_JOB_NAME - 1))
    expect(nameCharProblem(given)).toBeNull()
  })

  it('Engine.submit refuses a lone surrogate in a job name, storing nothing', () => {
    const t = tempStore()
    const engine = makeEngine(t.store)
    cleanup = () => {
      engine.stop()
      t.cleanup()
    }
    expect(() => engine.submit({ uuid: randomUUID(), kind: 'script', name: 'pay\uD83D', submitter: 'admin' }, [{ name: 't', executor: 'noop' }])).toThrow(/name contains U\+D83D LONE SURROGATE/)
    expect(t.store.jobs.list({ limit: 10 }).total).toBe(0)
  })
})
