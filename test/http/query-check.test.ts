// The query-string check every route runs (http/query.ts) remembers the query strings that passed,
// so a poll repeating its query pays one Set lookup (#14.2); refusals are never remembered and a
// remembered string still passes only itself.
import { describe, expect, it } from 'vitest'
import { checkQueryString } from '../../electron/http/query'

const refusal = (url: string) => {
  try {
    checkQueryString(url)
    return undefined
  } catch (e) {
    return (e as { code?: string; field?: string })
  }
}

describe('checkQueryString', () => {
  it('passes a poll’s query string every time it comes', () => {
    const poll = '/flow/get.json?execution_id=bench%3Apoll_c_e0c0ffc2&brief=true'
    for (let i = 0; i < 3; i++) expect(refusal(poll)).toBeUndefined()
  })

  it('refuses a repeated or malformed parameter every time, also after a query that passed', () => {
    expect(refusal('/flow/get.json?execution_id=a&brief=true')).toBeUndefined()
    for (let i = 0; i < 2; i++) {
      expect(refusal('/flow/get.json?execution_id=a&execution_id=b')).toMatchObject({ code: 'repeated_parameter', field: 'execution_id' })
      expect(refusal('/flow/get.json?execution_id=a&brief=true&brief=false')).toMatchObject({ code: 'repeated_parameter', field: 'brief' })
      expect(refusal('/api/v1/jobs?text=%E0%A4%A')).toMatchObject({ code: 'bad_query', field: 'text' })
      expect(refusal('/api/v1/jobs?a+b=1&a%20b=2')).toMatchObject({ code: 'repeated_parameter', field: 'a b' })
    }
  })

  it('checks a long query string in full every time', () => {
    const long = `/api/v1/jobs?text=${'x'.repeat(2000)}`
    expect(refusal(long)).toBeUndefined()
    expect(refusal(`${long}&text=y`)).toMatchObject({ code: 'repeated_parameter', field: 'text' })
  })

  it('keeps passing and refusing right past the number of query strings it remembers', () => {
    for (let i = 0; i < 2500; i++) expect(refusal(`/api/v1/jobs?offset=${i}`)).toBeUndefined()
    expect(refusal('/api/v1/jobs?offset=1&offset=1')).toMatchObject({ code: 'repeated_parameter' })
    expect(refusal('/api/v1/jobs?offset=1')).toBeUndefined()
  })
})
