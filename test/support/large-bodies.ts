// Large JSON bodies as clients really send them, for the probe tests and the probes bench
// (bench/served-probes.ts): no vitest here, the bench imports it.

/** The JSON text of one map of `n` keys "k<i in base 36>" (i from `from`), each to 0: every key name a new one. */
export const mapOfKeys = (n: number, from = 0): string => `{${Array.from({ length: n }, (_, i) => `"k${(from + i).toString(36)}":0`).join(',')}}`

/** About `bytes` (at least) of JSON text: an object of customer records, as a CRM export sends them (`customers`: 7 fields each, one a list and one a map). */
export function customerRecords(bytes: number): string {
  const rows: string[] = []
  let size = 40
  for (let i = 0; size < bytes; i++) {
    const row = JSON.stringify({
      id: 100_000 + i,
      name: `customer ${i}`,
      email: `user${i}@example.com`,
      active: i % 3 !== 0,
      score: Math.round(Math.sin(i) * 10_000) / 100,
      tags: [`segment-${i % 7}`, `region-${i % 11}`],
      address: { city: `City ${i % 97}`, zip: String(10_000 + (i % 9000)) },
    })
    size += row.length + 1
    rows.push(row)
  }
  return `{"customers":[${rows.join(',')}],"source":"crm"}`
}

/** A map of `n` keys as JSON text: `{"k0":0,"k1":1,…}` (240,000 of them: 3.9 MB). */
export const manyKeys = (n: number): string => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`
