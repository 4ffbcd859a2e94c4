// Finding a test's own processes by command line, independently of how JobDesk finds them.
import { readdirSync, readFileSync } from 'node:fs'

/** Live `sleep <n>` processes (zombies, which only wait to be reaped, do not count). Linux only. */
export function sleepers(n: number): number[] {
  const found: number[] = []
  for (const e of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8')
      if (/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0])) continue
      if (readFileSync(`/proc/${e}/cmdline`, 'latin1') === `sleep\0${n}\0`) found.push(Number(e))
    } catch {
      // gone meanwhile
    }
  }
  return found
}

/** A sleep length no other test run on this machine is likely to use, so its processes can be told apart. */
export const uniqueSleep = (): number => 200_000 + Math.floor(Math.random() * 7_000_000)
