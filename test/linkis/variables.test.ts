// Linkis built-in and custom variables through entrance/submit, as a Linkis client sends them (#8.10).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { linkisClient } from './support'

let t: TestApp
let linkis: ReturnType<typeof linkisClient>
beforeAll(async () => {
  t = await startTestApp()
  linkis = linkisClient(t.url)
  await linkis.login()
})
afterAll(() => t.close())

const resultOf = async (taskID: number) => {
  const task = (await linkis.call('GET', `/jobhistory/${taskID}/get`)).body.data.task
  return (await linkis.call('GET', `/filesystem/openFile?path=${encodeURIComponent(`${task.resultLocation}/_0.dolphin`)}`)).body.data.fileContent
}

describe('Linkis variables', () => {
  it('a shell job gets ${run_date-1}, ${run_quarter_begin} and ${run_year_end_std} substituted, not expanded by the shell', async () => {
    const sub = await linkis.submit('echo "${run_date-1}|${run_quarter_begin}|${run_year_end_std}|${run_month_begin_std-1}|${user}"', 'sh', {
      params: { variable: { run_date: '20230815' } },
    })
    expect(sub.body.status).toBe(0)
    expect(await linkis.waitDone(sub.body.data.execID)).toBe('Succeed')
    expect(await resultOf(sub.body.data.taskID)).toEqual([['20230814|20230701|2023-12-31|2023-07-01|admin']])
    const log = (await linkis.call('GET', `/entrance/${sub.body.data.execID}/log?fromLine=0&size=20`)).body.data.log[3]
    expect(log).toMatch(/^\S+ \S+ INFO Your job is accepted/)
    expect(log).toContain('INFO Variable expression [${run_date-1}] = 20230814')
  })

  it('python: #@set lines and params.variable with arithmetic', async () => {
    const sub = await linkis.submit('#@set f=20.1\nprint("${f*2}", "${n+1}", "${run_today}")', 'py', { params: { variable: { n: '41', run_date: '20231231' } } })
    expect(await linkis.waitDone(sub.body.data.execID)).toBe('Succeed')
    expect(await resultOf(sub.body.data.taskID)).toEqual([['40.2 42 20240101']])
  })

  it('refuses an unknown ${name} in SQL with an envelope naming it; a bad run_date likewise', async () => {
    const sub = await linkis.submit("select '${run_date}' as d, '${typo_var}' as x", 'sql')
    expect(sub.status).toBe(412)
    expect(sub.body).toMatchObject({ status: 2, message: expect.stringContaining('unknown variable ${typo_var} (line 1)'), data: {} })
    const bad = await linkis.submit("select '${run_date}'", 'sql', { params: { variable: { run_date: '2023-08-15' } } })
    expect(bad.body).toMatchObject({ status: 2, message: expect.stringContaining('run_date must be a date written yyyyMMdd, not "2023-08-15"') })
  })
})
