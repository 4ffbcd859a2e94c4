// A native CSV export's text escaped as JSON where the file is written (services/export/json-text.ts):
// the answer must carry the same string as JSON.stringify of the whole file, however the worker's
// 64 KiB chunks cut its UTF-8 sequences.
import { describe, expect, it } from 'vitest'
import { jsonTextEncoder } from '../../electron/services/export/json-text'

describe('a file escaped as JSON text piece by piece', () => {
  it('equals JSON.stringify of the whole text wherever the pieces are cut', () => {
    const file = Buffer.concat([Buffer.from('a,"b ""q""",c\\d\r\n\u0001\u001f\t é€😀\u2028 end'), Buffer.from([0xff, 0x41]), Buffer.from('😀'.slice(0, 2))])
    const whole = JSON.stringify(file.toString('utf8')).slice(1, -1)
    for (let cut = 0; cut <= file.length; cut++) {
      for (const second of [cut, Math.min(file.length, cut + 1), Math.min(file.length, cut + 3)]) {
        const text = jsonTextEncoder()
        const out = Buffer.concat([text.write(file.subarray(0, cut)), text.write(file.subarray(cut, second)), text.write(file.subarray(second)), text.end()])
        expect(out.toString('utf8'), `cut at ${cut} and ${second}`).toBe(whole)
      }
    }
    expect(JSON.parse(`"${whole}"`)).toBe(file.toString('utf8'))
  })

  it('ends an unfinished UTF-8 sequence as U+FFFD, as a whole decode does', () => {
    const text = jsonTextEncoder()
    const start = text.write(Buffer.from([0x61, 0xe2, 0x82])) // "a" and two of the three bytes of €
    expect(Buffer.concat([start, text.end()]).toString('utf8')).toBe(JSON.stringify(Buffer.from([0x61, 0xe2, 0x82]).toString('utf8')).slice(1, -1))
  })
})
