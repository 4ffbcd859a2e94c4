// `npm run bench -- weight` (or `npx tsx bench/held-weight.ts`; BENCH_WEIGHT_MB, default 4, 16: the
// sizes; BENCH_WEIGHT_ROUNDS, default 7): the held-weight scan, what a submitted or stored JSON text is
// weighed by in its user's held work (shared/json-limits.ts jsonShapeOf, then shared/quotas.ts
// heldJsonWeight), beside JSON.parse of the same text as its peer (what the text costs once parsed
// anyway), on a `[{},{},...]` (the most nodes a character: the shape the weight is for) and a plain
// string value (one node: its characters skipped by indexOf). In-process; this thread's CPU, taking turns.
import { loadavg } from 'node:os'
import { jsonShapeOf } from '../shared/json-limits'
import { heldJsonWeight } from '../shared/quotas'
import { median, timed } from './main-thread-clock'

const SIZES_MB = (process.env.BENCH_WEIGHT_MB ?? '4,16').split(',').map(Number)
const ROUNDS = Number(process.env.BENCH_WEIGHT_ROUNDS ?? 7)
const MB = 1024 * 1024
/** Times a string's scan and parse are repeated in one timing (their CPU is counted a scheduler tick at a time). */
const STRING_REPS = 20

/** One text's figures: CPU ms of the scan and of JSON.parse (medians of the rounds), and the weight the scan gave. */
export interface WeightRow {
  what: string
  mb: number
  scanMs: number
  parseMs: number
  weight: number
}

/** The weight part's figures. */
export interface HeldWeightFigures {
  rows: WeightRow[]
  rounds: number
  load: [number, number]
}

/** A JSON text of about `mb` MiB: `[{},{},...]` or one string. */
const textOf = (kind: 'maps' | 'string', mb: number): string => (kind === 'maps' ? `[${Array(Math.floor((mb * MB - 2) / 3)).fill('{}').join(',')}]` : JSON.stringify('x'.repeat(mb * MB - 2)))

/** Times the scan (jsonShapeOf + heldJsonWeight) and JSON.parse of each text, taking turns, ROUNDS times each. */
export function measureHeldWeight(): HeldWeightFigures {
  const loadAtStart = loadavg()[0]
  const rows: WeightRow[] = []
  for (const mb of SIZES_MB) {
    for (const kind of ['maps', 'string'] as const) {
      const text = textOf(kind, mb)
      const scans: number[] = []
      const parses: number[] = []
      let weight = 0
      // a string's scan is an indexOf: well under the scheduler's tick, by which the thread's CPU is counted,
      // so each round times it (and its peer) REPS times over
      const reps = kind === 'string' ? STRING_REPS : 1
      const repeated = <T>(fn: () => T): { value: T; cpuMs: number } => {
        const r = timed(() => {
          let value = fn()
          for (let k = 1; k < reps; k++) value = fn()
          return value
        })
        return { value: r.value, cpuMs: r.cpuMs / reps }
      }
      for (let i = 0; i < ROUNDS; i++) {
        const scan = () => {
          const s = repeated(() => heldJsonWeight(Buffer.byteLength(text), jsonShapeOf(text)))
          weight = s.value
          scans.push(s.cpuMs)
        }
        const parse = () => parses.push(repeated(() => JSON.parse(text) as unknown).cpuMs)
        if (i % 2) parse(), scan()
        else scan(), parse()
      }
      rows.push({ what: kind === 'maps' ? '`[{},{},...]`' : 'a plain string', mb: text.length / MB, scanMs: median(scans), parseMs: median(parses), weight })
    }
  }
  return { rows, rounds: ROUNDS, load: [loadAtStart, loadavg()[0]] }
}

/** The figures as a markdown table: per text, the scan's and JSON.parse's CPU, per MiB, and their ratio. */
export function heldWeightTable(r: HeldWeightFigures): string[] {
  return [
    `This thread's CPU, medians of ${r.rounds} rounds, the scan and the parse taking turns (a string's each the mean of ${STRING_REPS} in a row: its scan is shorter than the scheduler's tick).`,
    '',
    '| text | MiB | weight (heldJsonWeight) | scan ms | scan ms per MiB | JSON.parse ms (the peer) | parse ms per MiB | scan / parse |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...r.rows.map(
      (x) =>
        `| ${x.what} | ${x.mb.toFixed(1)} | ${x.weight.toLocaleString('en-US')} | ${x.scanMs.toFixed(2)} | ${(x.scanMs / x.mb).toFixed(2)} | ${x.parseMs.toFixed(1)} | ${(x.parseMs / x.mb).toFixed(2)} | ${(x.scanMs / x.parseMs).toFixed(2)}× |`,
    ),
  ]
}

if (process.argv[1]?.endsWith('held-weight.ts')) {
  const r = measureHeldWeight()
  console.log(`load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end`)
  for (const line of heldWeightTable(r)) console.log(line)
}
