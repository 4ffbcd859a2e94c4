import { randomBytes, scrypt, timingSafeEqual, createHash } from 'node:crypto'
import { promisify } from 'node:util'

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>
/** scrypt's cost for new hashes: 16 MiB of memory and about 50 ms of CPU each. */
const STRONG_N = 16384
/** The test suite's cost (see useTestScryptCost): 1 MiB, a few ms. */
const TEST_N = 1024
const R = 8
const P = 1
const KEY_LENGTH = 32
let N = STRONG_N

/**
 * Test hook: new hashes use scrypt N=1024 instead of 16384, so that the test suite's hundreds of app
 * starts (each hashes the default admin's password) and sign-ins do not spend a strong hash each.
 * `false` restores the strong cost (for a test that times sign-ins). Refused outside vitest (its
 * workers, and the app processes they start, have VITEST set), so a shipped app always hashes at
 * full cost. Verification reads the cost from each stored hash, so either kind checks.
 */
export function useTestScryptCost(weak = true): void {
  if (!process.env.VITEST) throw new Error('useTestScryptCost is for the test suite only')
  N = weak ? TEST_N : STRONG_N
}

/** `scrypt$N$r$p$salt$hash`, so the parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, KEY_LENGTH, { N, r: R, p: P })
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  })
  return timingSafeEqual(key, expected)
}

/** Tokens are random; only their SHA-256 is stored, so a copy of the database grants nothing. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
