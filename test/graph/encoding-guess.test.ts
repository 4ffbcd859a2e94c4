// The encoding of a file without a byte-order mark that is not UTF-8, guessed from its head
// (text-encoding.ts guessEncoding): UTF-16 by its NULs, GBK/GB18030 when the bytes decode as it
// without error and read as Chinese. Text that is neither (Latin-1) stays "UTF-8", with the old message.
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { guessEncoding } from '../../electron/graph/import/text-encoding'

const PEOPLE = 'id,name,city\n1,张三,北京\n2,李四,上海\n3,王五,广州\n'

describe('guessEncoding', () => {
  it('guesses GBK for a GBK file, saying why', () => {
    expect(guessEncoding(iconv.encode(PEOPLE, 'gbk'))).toEqual({ encoding: 'gbk', why: expect.stringMatching(/^not UTF-8; read as GBK \(/) })
  })

  it('guesses GB18030 when a character needs its 4-byte form (not in GBK)', () => {
    const bytes = iconv.encode(`${PEOPLE}4,赵六,𠀀城\n`, 'gb18030')
    expect(guessEncoding(bytes)?.encoding).toBe('gb18030')
    expect(iconv.decode(bytes, 'gbk')).toContain('\ufffd') // what GBK would have read wrongly
  })

  it('guesses UTF-16LE and UTF-16BE without a byte-order mark by their NULs', () => {
    const le = Buffer.from(PEOPLE, 'utf16le')
    expect(guessEncoding(le)).toEqual({ encoding: 'utf-16le', why: expect.stringMatching(/^not UTF-8; read as UTF-16LE \(every other byte is NUL/) })
    expect(guessEncoding(Buffer.from(le).swap16())?.encoding).toBe('utf-16be')
    // cut in the middle of a character: still itself
    expect(guessEncoding(le.subarray(0, 31))?.encoding).toBe('utf-16le')
  })

  it('leaves UTF-8, ASCII and Latin-1 text alone (null: read as UTF-8, which says which byte is wrong)', () => {
    expect(guessEncoding(Buffer.from(PEOPLE))).toBeNull()
    expect(guessEncoding(Buffer.from('id,name\n1,Ann\n'))).toBeNull()
    for (const latin of ['id,name,city\n1,José,São Paulo\n2,Müller,Zürich\n3,François,Besançon\n', 'Müller\n', 'id,name\n1,Grüße\n']) {
      expect(guessEncoding(iconv.encode(latin, 'latin1')), latin).toBeNull()
    }
  })

  it('reads the head up to its last line end unless it is the whole file (a character cut at the end is no error)', () => {
    const bytes = iconv.encode(`${PEOPLE}4,赵六`, 'gbk')
    const cut = bytes.subarray(0, bytes.length - 1) // the last character's first byte only
    expect(guessEncoding(cut)?.encoding).toBe('gbk')
    expect(guessEncoding(bytes, true)?.encoding).toBe('gbk')
  })
})
