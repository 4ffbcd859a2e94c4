// JSON lines keep INT64 values past 2^53 exact (JSON.parse alone would round 9007199254740993 to …992).
import { describe, expect, it } from 'vitest'
import { quoteLongIntegers } from '../../electron/graph/import/rows'
import { jsonToStored, textToStored } from '../../electron/graph/store/values'

describe('quoteLongIntegers', () => {
  it('quotes integers of more than 15 digits outside strings, and nothing else', () => {
    expect(quoteLongIntegers('[9007199254740993, -9223372036854775808, 12, 1.5, "12345678901234567", 1234567890123456.5, 12345678901234567e2]')).toBe(
      '[\"9007199254740993\", \"-9223372036854775808\", 12, 1.5, "12345678901234567", 1234567890123456.5, 12345678901234567e2]',
    )
    expect(quoteLongIntegers('["a\\"9007199254740993", 1]')).toBe('["a\\"9007199254740993", 1]')
  })

  it('gives the INT64 rule the exact value', () => {
    const [v] = JSON.parse(quoteLongIntegers('[9007199254740993]')) as unknown[]
    expect(String(jsonToStored('INT64', v))).toBe('9007199254740993')
    expect(() => jsonToStored('INT64', JSON.parse(quoteLongIntegers('[92233720368547758080]'))[0])).toThrow()
  })

  it('reads a 16-digit CSV value exactly too', () => {
    expect(String(textToStored('INT64', '9007199254740993'))).toBe('9007199254740993')
    expect(String(textToStored('INT64', '-9007199254740993'))).toBe('-9007199254740993')
    expect(textToStored('INT64', '-999999999999999')).toBe(-999999999999999)
  })
})
