// TuGraph's check_file md5 of a large uploaded file (flag 1), as its clients send it, beside
// coreutils' md5sum of the same file: the check hashes in a worker thread (graph/file-md5-worker.ts,
// 1 MiB reads), so it should run near md5sum's speed while a status probe keeps answering. Both read
// the file from the page cache (it was just written; 24 GiB of RAM), so the figures are hashing speed,
// not the disk's. RUNS rounds, alternating.
// Run alone: npx tsx bench/md5-check.ts   (`npm run bench -- md5` writes its block).
// BENCH_MD5_MB sets the file's size (default 1024 MB).
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminToken, cpuSeconds, median, probeDuring, startServer, stopServer, type ProbeFigures } from './served-app'

const QUERY = '/LGraphHttpService/Query'

export interface Md5Figures {
  fileMb: number
  rounds: number
  /** Wall ms of each round's check_file (request to answer) and md5sum; medians and spreads. */
  checkMs: number
  checkSpread: [number, number]
  md5sumMs: number
  md5sumSpread: [number, number]
  /** The server process's CPU seconds for a check (median): the worker's hashing and the request. */
  checkCpuS: number
  /** The status probe over all rounds' checks. */
  probe: ProbeFigures
}

/** Writes `mb` MiB of random-looking bytes (a 1 MiB random block, its first 8 bytes the block's number). */
function writeBigFile(path: string, mb: number): void {
  const block = randomBytes(1 << 20)
  const fd = openSync(path, 'w')
  try {
    for (let i = 0; i < mb; i++) {
      block.writeBigUInt64LE(BigInt(i), 0)
      writeSync(fd, block)
    }
  } finally {
    closeSync(fd)
  }
}

export async function measureMd5Check(mb = Number(process.env.BENCH_MD5_MB ?? 1024), rounds = Number(process.env.BENCH_RUNS ?? 3)): Promise<Md5Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-md5-bench-'))
  const uploads = join(dir, 'upload_files', 'admin')
  mkdirSync(uploads, { recursive: true })
  const file = join(uploads, 'big.bin')
  writeBigFile(file, mb)
  const server = await startServer(['jobdesk', dir])
  try {
    const login = await (await fetch(`${server.url}${QUERY}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName: 'admin', password: '73@TuGraph' }) })).json()
    const tugraphToken = login.data.authorization as string
    const checks: number[] = []
    const sums: number[] = []
    const cpu: number[] = []
    let md5 = ''
    const { probe } = await probeDuring(server.url, await adminToken(server.url), async () => {
      for (let round = 0; round < rounds; round++) {
        let started = performance.now()
        md5 = execFileSync('md5sum', [file], { encoding: 'utf8' }).split(' ')[0]
        sums.push(performance.now() - started)
        const cpuBefore = cpuSeconds(server.child.pid!)
        started = performance.now()
        const res = await fetch(`${server.url}${QUERY}/check_file`, {
          method: 'POST',
          headers: { authorization: tugraphToken, 'content-type': 'application/json' },
          body: JSON.stringify({ fileName: 'big.bin', flag: 1, checkSum: md5 }),
        })
        const answer = await res.json()
        checks.push(performance.now() - started)
        cpu.push(cpuSeconds(server.child.pid!) - cpuBefore)
        if (answer?.data?.pass !== true) throw new Error(`check_file did not pass md5sum's ${md5}: ${JSON.stringify(answer)}`)
      }
    })
    const spread = (xs: number[]): [number, number] => [Math.min(...xs), Math.max(...xs)]
    return { fileMb: (mb * 2 ** 20) / 1e6, rounds, checkMs: median(checks), checkSpread: spread(checks), md5sumMs: median(sums), md5sumSpread: spread(sums), checkCpuS: median(cpu), probe }
  } finally {
    await stopServer(server)
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The Markdown table of a run. */
export function md5Table(r: Md5Figures): string[] {
  const rate = (ms: number) => ((r.fileMb / ms) * 1000).toFixed(0)
  const spread = ([lo, hi]: [number, number]) => `${lo.toFixed(0)}–${hi.toFixed(0)}`
  return [
    `| md5 of a ${r.fileMb.toFixed(0)} MB file (page cache) | ms (spread) | MB/s | ratio to md5sum |`,
    '|---|---:|---:|---:|',
    `| JobDesk check_file flag 1 (request to answer) | ${r.checkMs.toFixed(0)} (${spread(r.checkSpread)}) | ${rate(r.checkMs)} | ${(r.checkMs / r.md5sumMs).toFixed(2)}× |`,
    `| coreutils md5sum | ${r.md5sumMs.toFixed(0)} (${spread(r.md5sumSpread)}) | ${rate(r.md5sumMs)} | 1.00× |`,
    '',
    `Server CPU for a check: ${r.checkCpuS.toFixed(2)} s (median). Status probe while the rounds ran (md5sum's too): ${r.probe.count} probes, p50 ${r.probe.p50Ms.toFixed(0)} ms, p99 ${r.probe.p99Ms.toFixed(0)} ms, max ${r.probe.maxMs.toFixed(0)} ms${r.probe.failures ? `, ${r.probe.failures} failed` : ''}.`,
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  md5Table(await measureMd5Check()).forEach((l) => console.log(l))
}
