// The 16 MiB cap on a stored value of a job's state counts UTF-8 bytes, as jobs.state_bytes and
// upstream's ContextDAO do (#9): counted in characters, a context of CJK text was stored at 3 times
// the cap (5.6 million characters, 16.8 MB), one of emoji at twice it. At the cap a value is stored;
// one byte past it is refused, naming its bytes, whether its text is made whole or from read-only parts.
import { describe, expect, it } from 'vitest'
import { deepFreeze } from '../../electron/read-only'
import { prepareStateJson, STATE_JSON_LIMIT, StateNotStorableError, stateJsonShaped } from '../../electron/store/state-json'

/** Text of `unit` repeated, padded with `a`, that takes `bytes` UTF-8 bytes. */
function textOfBytes(unit: string, bytes: number): string {
  const each = Buffer.byteLength(unit)
  const n = Math.floor(bytes / each)
  return unit.repeat(n) + 'a'.repeat(bytes - n * each)
}

/** `v` frozen through, as shareReadOnly leaves a callback body. */
const frozen = <T extends object>(v: T): T => {
  deepFreeze(v, 10)
  return v
}

/** How a value is saved: its text made whole (a map of no read-only member), or from the text of a frozen list (a callback body shared read-only). */
const shapes = [
  { how: 'made whole', framing: Buffer.byteLength('{"s":""}'), make: (s: string) => ({ s }) },
  { how: 'from a read-only member', framing: Buffer.byteLength('{"a":[""]}'), make: (s: string) => ({ a: frozen([s]) }) },
]

describe('a value of a job\'s state is capped at 16 MiB of UTF-8 bytes', () => {
  for (const { how, framing, make } of shapes) {
    for (const [script, unit] of [['CJK', '中'], ['emoji', '😀']]) {
      it(`${script} text, ${how}: stored at the cap, refused one byte past it, naming the bytes`, () => {
        const atCap = make(textOfBytes(unit, STATE_JSON_LIMIT - framing))
        const { text } = stateJsonShaped(atCap, 'the context of job 1')
        expect(Buffer.byteLength(text!)).toBe(STATE_JSON_LIMIT)
        expect(text!.length).toBeLessThan(STATE_JSON_LIMIT / 1.9) // the characters are far fewer: the cap in them let 2-3 times the bytes through

        const over = make(textOfBytes(unit, STATE_JSON_LIMIT - framing + 1))
        let refused: unknown
        try {
          stateJsonShaped(over, 'the context of job 1')
        } catch (e) {
          refused = e
        }
        expect(refused).toBeInstanceOf(StateNotStorableError)
        expect((refused as Error).message).toBe('the context of job 1 would exceed 16 MiB (16,777,216 bytes): it is 16,777,217 bytes of JSON')
        expect(refused).toMatchObject({ bytes: STATE_JSON_LIMIT + 1, limit: STATE_JSON_LIMIT })
      })
    }
  }

  it('refuses a text of many times the cap as before, naming its bytes', () => {
    const huge = { s: 'x'.repeat(STATE_JSON_LIMIT * 2) }
    expect(() => stateJsonShaped(huge, 'the output of task a')).toThrow(`the output of task a would exceed 16 MiB (16,777,216 bytes): it is 33,554,440 bytes of JSON`)
  })
})

describe('what a task value will take when saved (prepareStateJson) is its UTF-8 bytes', () => {
  it('for a long string, a large map and a map kept from its save', () => {
    const s = '中'.repeat(100_000) // 100,002 characters of JSON, 300,002 bytes
    expect(prepareStateJson(s)).toBe(300_002)
    const map = { s, n: 1 }
    const bytes = Buffer.byteLength(JSON.stringify(map))
    expect(prepareStateJson(map)).toBe(bytes)
    expect(prepareStateJson(map)).toBe(bytes) // again, from the text kept by the first
    const fewChars = { s: '中'.repeat(30_000) } // 30,008 characters (kept texts are those over 64 kB of them), 90,008 bytes
    expect(prepareStateJson(fewChars)).toBe(90_008)
  })
})
