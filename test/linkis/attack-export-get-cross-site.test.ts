// Attack (#9 §4, atk40 lesser): Linkis's filesystem/resultsetToExcel is a GET that takes one of its
// user's export places (services/export/exporter.ts EXPORTS_PER_USER) and a worker slot. The session
// cookie is SameSite=Strict, but a page on another port of 127.0.0.1 is the same site: its
// `<img src=…/resultsetToExcel?path=…>` sent the cookie and no Origin, and each such request was
// served, so a page could keep its user's places taken (their own downloads refused with 429). Now a
// cookie GET of an export from a page of another origin (Sec-Fetch-Site same-site or cross-site, no
// Origin) is refused before it takes a place, with 403 in the Linkis envelope, as Linkis's kill is
// (test/linkis/state-changing-gets.test.ts); JobDesk's own pages and clients that are no browser download.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXPORTS_PER_USER } from '../../electron/services/export/exporter'
import { startTestApp, type TestApp } from '../support/app'
import { linkisClient } from './support'

let t: TestApp
let linkis: ReturnType<typeof linkisClient>
let path: string
beforeAll(async () => {
  t = await startTestApp()
  linkis = linkisClient(t.url)
  expect((await linkis.login()).body.status).toBe(0)
  // over 1,000 rows: written in an export worker, under the per-user count
  const sql = await linkis.submit('with recursive n(i) as (select 1 union all select i + 1 from n where i < 1500) select i, printf(\'%040d\', i) as pad from n', 'sql')
  expect(await linkis.waitDone(sql.body.data.execID, 30_000)).toBe('Succeed')
  path = `file:///jobdesk/admin/result/${sql.body.data.taskID}/_0.dolphin`
}, 60_000)
afterAll(() => t.close())

const fromPage = (site: string) => ({ 'sec-fetch-site': site, 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' })
const exportUrl = () => `/filesystem/resultsetToExcel?path=${encodeURIComponent(path)}&outputFileType=csv`

describe('resultsetToExcel from a page of another origin', () => {
  it.each(['same-site', 'cross-site'])('is refused with Sec-Fetch-Site %s before it takes a place: 403 in the Linkis envelope, none of them 429', async (site) => {
    // more at once than the user has places: had any taken one, the last would be refused as too many
    const answers = await Promise.all(Array.from({ length: EXPORTS_PER_USER + 1 }, () => linkis.call('GET', exportUrl(), undefined, fromPage(site))))
    expect(answers.map((a) => a.status)).toEqual(Array(EXPORTS_PER_USER + 1).fill(403))
    for (const a of answers) {
      expect(a.body).toMatchObject({ status: 3, method: expect.any(String), message: expect.stringContaining(`Sec-Fetch-Site: ${site}`) })
      expect(a.headers.get('x-jobdesk-export-rows')).toBeNull()
    }
  })

  it('is still served to JobDesk’s own pages (same-origin), a typed URL (none) and a client that is no browser', async () => {
    for (const headers of [fromPage('same-origin'), fromPage('none'), {}]) {
      const res = await linkis.call('GET', exportUrl(), undefined, headers)
      expect(res.status, `${JSON.stringify(headers)}: ${res.raw.slice(0, 200)}`).toBe(200)
      expect(res.headers.get('x-jobdesk-export-rows')).toBe('1500')
    }
  })
})
