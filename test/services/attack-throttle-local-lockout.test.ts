// Attack (atk28) on the sign-in back-off (login-throttle.ts, client-address.ts). All of loopback and
// the desktop window are one client ('loopback'), and the address count (20 failures over any names)
// and the pair count (5 failures of one name) refuse even the right password. By default the server
// listens on loopback only, so every other user of this computer, and any local process without an
// account, is "the same client" as the admin: 5 wrong passwords for `admin` from 127.0.0.1 (or 20
// for made-up names), sent with no credential at all, make the admin's right password answer 429 in
// the browser on this computer and their password change in the desktop window too; one more guess
// per back-off keeps it so (the waits double to 15 minutes). The README promises "a stranger's guesses
// cannot lock the owner out". Expected: the desktop window (an operation this process itself
// receives over IPC, DESKTOP_CLIENT, which no socket can claim) is not refused by guesses that came
// over sockets. The cause: client-address.ts clientAddressKey maps DESKTOP_CLIENT to 'loopback', so
// login-throttle.ts counts(): the pair and address keys of the window are the guessers'.
import { afterEach, expect, it } from 'vitest'
import { createAuthService, DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { DESKTOP_CLIENT } from '../../electron/services/client-address'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

async function setup() {
  const t = tempStore()
  cleanup = t.cleanup
  const auth = createAuthService(t.store, () => 1_800_000_000_000) // a still clock: the back-off has not ended when the window asks
  await auth.ensureDefaultAdmin()
  return { auth, admin: t.store.users.findByUsername('admin')! }
}

const guess = async (auth: ReturnType<typeof createAuthService>, name: string) => {
  await auth.checkPassword(name, 'wrong-guess-1', '127.0.0.1').catch(() => undefined)
}

it('lets the admin change their password in the desktop window after 5 wrong guesses at admin from a local socket', async () => {
  const { auth, admin } = await setup()
  for (let i = 0; i < 5; i++) await guess(auth, 'admin')
  // fails: rate_limited "too many failed sign-ins for user admin"
  await expect(auth.changePassword(admin, DEFAULT_ADMIN.password, 'a-new-desktop-pass-1', DESKTOP_CLIENT)).resolves.toMatchObject({ user: { username: 'admin' } })
})

it('lets the admin change their password in the desktop window after 20 wrong guesses at made-up names from a local socket', async () => {
  const { auth, admin } = await setup()
  for (let i = 0; i < 20; i++) await guess(auth, `nobody${i}`)
  // fails: rate_limited "too many failed sign-ins from desktop-window"
  await expect(auth.changePassword(admin, DEFAULT_ADMIN.password, 'a-new-desktop-pass-1', DESKTOP_CLIENT)).resolves.toMatchObject({ user: { username: 'admin' } })
})
