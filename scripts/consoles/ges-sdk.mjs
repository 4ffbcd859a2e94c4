#!/usr/bin/env node
// Runs Huawei Cloud's Python SDK for GES (huaweicloudsdkges v2 and v1 from huaweicloud-sdk-python-v3,
// unchanged) against JobDesk's GES dialect: AK/SK-signed job center calls, import-graph with its
// line counts, paging and filters, the error path, and the data plane through the client's call_api.
// Outside the test suite: it needs the SDK's sources and Debian's Python packages (see
// scripts/consoles/README.md); what each fix it found guards is tested in test/ges/ on every `npm test`.
//
//   npx electron-vite build            # JobDesk's out/ (npm test does it too)
//   node scripts/consoles/ges-sdk.mjs --src <checkout or git dir of huaweicloud/huaweicloud-sdk-python-v3> [--work DIR] [--port 9101]
//
// Python is Debian's /usr/bin/python3 (PYTHON to change it) with python3-requests,
// python3-requests-toolbelt, python3-simplejson, python3-yaml, python3-pyasn1, python3-certifi,
// python3-defusedxml, python3-six and python3-pymongo; no pip.

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { callJson, parseArgs, startServe, step, stopAllAndExit } from './harness.mjs'

const args = parseArgs()
if (!args.src || !existsSync(args.src)) {
  console.error('usage: node scripts/consoles/ges-sdk.mjs --src <checkout or git dir of huaweicloud/huaweicloud-sdk-python-v3> [--work DIR] [--port N]')
  process.exit(2)
}
const WORK = resolve(args.work ?? join(tmpdir(), 'jobdesk-ges-sdk'))
const PORT = Number(args.port ?? 9101)
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3'
const SDK_DIRS = ['huaweicloud-sdk-core', 'huaweicloud-sdk-ges']
const ADMIN = { username: 'admin', password: '73@TuGraph' }
const USER = { username: 'gesuser', password: 'ges-user-password-1' }
const GRAPH = 'hkmovie'
const DIR = 'bucket/hk'

/** GES's schema XML (ges-job-center-api.txt's movie sample, cut down) and CSVs: vertex.csv has one bad line (an unknown label). */
const FILES = {
  'schema.xml': `<?xml version="1.0" encoding="ISO-8859-1"?>
<PMML version="3.0" xmlns="http://www.dmg.org/PMML-3-0" xmlns:xsi="http://www.w3.org/2001/XMLSchema_instance">
  <labels>
    <label name="user"><properties>
      <property name="Name" cardinality="single" dataType="string"/>
      <property name="Age" cardinality="single" dataType="int"/>
    </properties></label>
    <label name="movie"><properties>
      <property name="Title" cardinality="single" dataType="string"/>
    </properties></label>
    <label name="rate"><properties>
      <property name="Score" cardinality="single" dataType="int"/>
    </properties></label>
  </labels>
</PMML>
`,
  'vertex.csv': 'Vivian,user,Vivian,25\nEric,user,Eric,40\nLove,movie,Love Story\nZed,alien,Zed\n',
  'edge.csv': 'Vivian,Love,rate,5\nEric,Love,rate,4\n',
  'more.csv': 'Ann,user,Ann,30\n',
  'more1.csv': 'Bea,user,Bea,31\n',
}

/** A graph big enough that BetweennessCentrality runs for seconds: 3,000 vertices on a ring with chords. */
const BIG = 'ring'
const BIG_FILES = {
  'schema.xml': '<labels><label name="n"><properties><property name="k" dataType="int"/></properties></label><label name="e"></label></labels>\n',
  'v.csv': Array.from({ length: 3000 }, (_, i) => `${i},n,${i}`).join('\n'),
  'e.csv': Array.from({ length: 3000 }, (_, i) => `${i},${(i + 1) % 3000},e\n${i},${(i * 7 + 1) % 3000},e`).join('\n'),
}

/** huaweicloud-sdk-core and huaweicloud-sdk-ges as published: copied from a checkout or exported from a git dir, once. */
function prepare() {
  mkdirSync(WORK, { recursive: true })
  for (const dir of SDK_DIRS) {
    if (existsSync(join(WORK, dir))) continue
    const r = existsSync(join(args.src, dir))
      ? spawnSync('cp', ['-R', join(args.src, dir), join(WORK, dir)], { stdio: 'inherit' })
      : spawnSync('sh', ['-c', `git --git-dir="${args.src}" archive HEAD ${dir} | tar -x -C "${WORK}"`], { stdio: 'inherit' })
    if (r.status !== 0 || !existsSync(join(WORK, dir))) throw new Error(`${args.src} holds no ${dir}`)
  }
  const version = spawnSync(PYTHON, ['-c', 'import huaweicloudsdkges.v2, huaweicloudsdkcore, requests; from huaweicloudsdkges.v2 import GesClient; print(open(huaweicloudsdkges.__file__.rsplit("/",2)[0] + "/setup.py").read().split("VERSION = ")[1].split()[0])'], { env: pythonEnv(), encoding: 'utf8' })
  if (version.status !== 0) throw new Error(`the SDK does not import with ${PYTHON}:\n${version.stderr}`)
  return version.stdout.trim().replace(/"/g, "")
}

const pythonEnv = () => ({ ...process.env, PYTHONPATH: SDK_DIRS.map((d) => join(WORK, d)).join(':'), PYTHONDONTWRITEBYTECODE: '1' })

/** A native API call as the SDK's user prepares her data (the calls Settings and the upload page make). */
const api = async (method, path, options) => (await callJson(`http://127.0.0.1:${PORT}${path}`, method, options)).json

/**
 * JobDesk with a fresh data folder; a user who owns the graph, the GES files in her upload folder
 * (the native upload API), and an access key of hers (the native API Settings uses).
 */
async function startJobDesk() {
  await startServe(PORT, 'jobdesk-ges-sdk-')
  const admin = (await api('POST', '/api/v1/login', { body: ADMIN })).token
  await api('POST', '/api/v1/users', { token: admin, body: { ...USER, rights: [] } })
  for (const graph of [GRAPH, BIG]) await api('POST', '/api/v1/graphs', { token: admin, body: { graph, owner: USER.username } })
  const token = (await api('POST', '/api/v1/login', { body: USER })).token
  for (const [dir, files] of [[DIR, FILES], [BIG, BIG_FILES]]) {
    for (const [name, content] of Object.entries(files)) {
      await api('POST', `/api/v1/files/upload?path=${encodeURIComponent(`${dir}/${name}`)}&offset=0&replace=true`, { token, raw: content })
    }
  }
  const key = await api('POST', '/api/v1/access-keys', { token, body: { description: 'huaweicloudsdkges harness' } })
  return { ak: key.accessKey, sk: key.secretKey }
}

function runPython(env) {
  return new Promise((ok) => {
    const child = spawn(PYTHON, [join(import.meta.dirname, 'ges-sdk.py')], { env: { ...pythonEnv(), ...env }, stdio: 'inherit' })
    child.once('exit', (code) => ok(code ?? 1))
  })
}

try {
  step(`the SDK's sources into ${WORK}`)
  const version = prepare()
  step(`huaweicloudsdkges ${version} imports with ${PYTHON}`)
  step(`JobDesk on ${PORT}: user ${USER.username}, graphs ${GRAPH} and ${BIG}, files in ${DIR}/ and ${BIG}/, an access key`)
  const { ak, sk } = await startJobDesk()
  step('the SDK script (scripts/consoles/ges-sdk.py)')
  const code = await runPython({ GES_ENDPOINT: `http://127.0.0.1:${PORT}`, GES_AK: ak, GES_SK: sk, GES_PROJECT: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', GES_GRAPH: GRAPH, GES_DIR: DIR, GES_BIG: BIG })
  step(code === 0 ? 'all steps passed' : `the SDK script failed (exit ${code})`)
  stopAllAndExit(code === 0 ? 0 : 1)
} catch (e) {
  console.error(e)
  stopAllAndExit(1)
}
