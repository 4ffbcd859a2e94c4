// atk13: a SQL job's sort writes temporary files without bound, outside the scratch limit and outside
// the data folder's disk reserve. attack-sql-disk-fill bounds a user's scratch database and a job's
// temp schema in pages (executors/scratch-limit.ts limitScratch: main and temp max_page_count), but
// SQLite's external sorter (an ORDER BY, GROUP BY, DISTINCT or CREATE INDEX over more rows than its
// cache) spills to files of its own in the system's temp folder (SQLITE_TMPDIR, TMPDIR, else
// /var/tmp or /tmp: the sql-worker child gets none of its own, executors/sql.ts), which no
// max_page_count covers and which disk-reserve.ts never sees (it reads the data folder's disk, and
// only when a job or upload starts). A user granted nothing sorted 400 MB of keys with one statement
// whose answer is 40,000 small integers; the same statement with more rows writes until the disk is
// full (and SQLite unlinks the files as it opens them: `du` and `ls` show nothing).
// And the folder is the user's to choose: `PRAGMA temp_store_directory = '/dev/shm'` (plain SQL that
// sql-guard.ts lets through; better-sqlite3's SQLite keeps the pragma despite OMIT_DEPRECATED) puts
// the sort files on a tmpfs, that is in the machine's memory, where the child's 1 GiB RSS watchdog
// (scratch-limit.ts SQL_JOB_MEMORY_BYTES) never counts them: /dev/shm may grow to half the RAM or more.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, waitForStatus, ENDED_STATUSES, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

const MiB = 1024 * 1024
/** What a user's scratch database, or a job's temp schema, may hold (scratch-limit.ts MAX_SCRATCH_BYTES). */
const BOUND = 256 * MiB

let t: TestApp
let eve: TestUser
beforeAll(async () => {
  t = await startTestApp({ concurrency: 2 })
  eve = await addUser(t, 'eve') // no rights: SQL needs none
}, 60_000)
afterAll(() => t?.close())

/** Bytes of SQLite temporary files (`etilqs_…`, unlinked) open in the child processes of this process (only those under `under`). */
function childTempBytes(under = '/'): number {
  let bytes = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid !== process.pid) continue
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`)
        if (link.startsWith(under) && link.includes('etilqs_')) bytes += statSync(`/proc/${pid}/fd/${fd}`).size
      }
    } catch {
      // a process that ended meanwhile, or not ours to read
    }
  }
  return bytes
}

/**
 * Runs `code` as eve's SQL job to its end, sampling each of `watch` every 20 ms meanwhile; answers
 * the ended job and the most each sample reached.
 */
async function runWatched<K extends string>(code: string, watch: Record<K, () => number>): Promise<{ job: any; most: Record<K, number> }> {
  const submitted = await eve.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
  expect(submitted.status).toBe(201)
  const most = Object.fromEntries(Object.keys(watch).map((k) => [k, 0])) as Record<K, number>
  const sample = () => {
    for (const k of Object.keys(watch) as K[]) most[k] = Math.max(most[k], watch[k]())
  }
  const timer = setInterval(sample, 20)
  try {
    return { job: await waitForStatus(t, submitted.body.id, ENDED_STATUSES, 120_000), most }
  } finally {
    clearInterval(timer)
  }
}

it("a user without rights cannot make one SQL job's sort write more than 256 MiB of temporary files", async () => {
  const { job, most: { files: most } } = await runWatched('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 40000) SELECT x FROM c ORDER BY randomblob(10000)', { files: () => childTempBytes() })
  // before: the job succeeded after writing ~400 MB of sort files (none of it in the scratch database)
  expect(most, `the job's sort files reached ${(most / MiB).toFixed(0)} MiB`).toBeLessThanOrEqual(BOUND)
  // after: the sort is held in the job's memory (scratch-limit.ts limitScratch: temp_store MEMORY, ~450 MiB
  // here, under the 1 GiB watchdog), so this job, which is a user's right, still succeeds
  expect(job.status, job.error).toBe('succeeded')
}, 180_000)

it("a user without rights cannot make one SQL job hold more than its 1 GiB of memory in sort files on a tmpfs", async () => {
  const { job, most: { shm: most } } = await runWatched(
    "PRAGMA temp_store_directory = '/dev/shm';\nWITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 120000) SELECT x FROM c ORDER BY randomblob(10000)",
    { shm: () => childTempBytes('/dev/shm/') },
  )
  // before: ~1.2 GB of the machine's memory held in /dev/shm by the job's child, which its watchdog never saw
  expect(most, `the job's sort files in /dev/shm reached ${(most / MiB).toFixed(0)} MiB`).toBeLessThanOrEqual(1024 * MiB)
  // after: the pragma is refused (sql-guard.ts), by name, before SQLite compiles (and so applies) it
  expect(job.status).toBe('failed')
  expect(job.error).toMatch(/statement 1 of 2 \(line 1\): PRAGMA temp_store_directory is not allowed/)
}, 180_000)

/** The largest resident memory (VmHWM, bytes) of this process's children still running. */
function childPeakRss(): number {
  let most = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== process.pid) continue
      const kb = /VmHWM:\s*(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (kb) most = Math.max(most, Number(kb[1]) * 1024)
    } catch {
      // a process that ended meanwhile
    }
  }
  return most
}

it('a sort bigger than the 1 GiB a SQL job may hold is stopped at its memory limit, writing no temporary files', async () => {
  // the second case's sort without the pragma: now in the job's memory (scratch-limit.ts limitScratch), ~1.2 GB
  const { job, most: { files, rss } } = await runWatched('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 120000) SELECT x FROM c ORDER BY randomblob(10000)', {
    files: () => childTempBytes(),
    rss: childPeakRss,
  })
  expect(files, `the job's sort files reached ${(files / MiB).toFixed(0)} MiB`).toBe(0)
  expect(job.status).toBe('failed')
  expect(job.error).toMatch(/the SQL job memory limit of 1 GiB reached/)
  expect(rss, 'the sort grew in memory up to the limit').toBeGreaterThan(768 * MiB)
  // its watchdog looks every 50 ms (child-process.ts MEMORY_CHECK_MS): a few checks' growth past the limit at most
  expect(rss, `the job's process reached ${(rss / MiB).toFixed(0)} MiB`).toBeLessThan(1024 * MiB + 160 * MiB)
}, 180_000)
