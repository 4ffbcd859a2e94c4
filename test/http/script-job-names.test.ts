// An unnamed script job is named after its code's first line that is not only a comment: the Scripts
// page's starter code opens with a comment, so every run of it was named alike in the Jobs list
// ("-- Each SELECT b…", "# What you print…") and could not be told apart (trial10).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 60_000)
afterAll(() => t.close())

const nameOf = async (language: string, code: string): Promise<string> => {
  const made = await t.call('POST', '/api/v1/jobs', { type: 'script', language, code })
  expect(made.status).toBe(201)
  return (await t.call('GET', `/api/v1/jobs/${made.body.id}`)).body.name
}

describe('an unnamed script job’s name', () => {
  it('skips comment lines: SQL --, Python and shell #, Cypher //, one-line /* */', async () => {
    expect(await nameOf('sql', '-- Each SELECT becomes a result set\n\n/* note */\nselect 7 as seven;')).toBe('select 7 as seven;')
    expect(await nameOf('python', '# What you print becomes the text result.\nimport platform\nprint(1)')).toBe('import platform')
    expect(await nameOf('shell', '#!/bin/sh\n# daily\necho hi')).toBe('echo hi')
    expect(await nameOf('cypher', '// people\nMATCH (n) RETURN count(n)')).toBe('MATCH (n) RETURN count(n)')
  })

  it('keeps the first line when every line is a comment, and a name given', async () => {
    expect(await nameOf('sql', '-- only a comment\n-- and another')).toBe('-- only a comment')
    const named = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: '-- x\nselect 1', name: 'weekly report' })
    expect((await t.call('GET', `/api/v1/jobs/${named.body.id}`)).body.name).toBe('weekly report')
  })
})
