// Attack (atk24): the account count of the sign-in back-off (100 failures of one name from all
// addresses) is meant never to refuse "at this computer" (login-throttle.ts: loopback is spared). But
// the desktop window's operations come over IPC with no client address (main/ipc.ts dispatch(…,
// actor()) → session.changePassword(…, client undefined)), and the throttle counts a missing address
// as unfamiliar: 100 wrong Linkis Token-Codes naming Token-User admin from the network (no password
// hash each: linkis/auth.ts check, then failed) make the admin's own password change in the desktop
// window answer rate_limited "for user admin at addresses they have not signed in from", for as long
// as the guesses go on (the back-off doubles to 15 min). Expected: the desktop window is this
// computer; a remote flood does not refuse it.
// Fixed by the IPC transport naming its client explicitly (DESKTOP_CLIENT, counted as loopback), not
// by sparing a missing address: a caller that names none is still counted as a stranger. That the
// transport passes it is asserted in test/main/ipc.test.ts.
import { afterEach, expect, it } from 'vitest'
import { createAuthService, DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { DESKTOP_CLIENT } from '../../electron/services/client-address'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

it('lets the desktop admin change their password over IPC after 100 remote guesses at admin', async () => {
  const t = tempStore()
  cleanup = t.cleanup
  const auth = createAuthService(t.store)
  await auth.ensureDefaultAdmin()
  // what 100 wrong Token-Codes for Token-User admin from 100 addresses count (linkis/auth.ts linkisActor)
  for (let i = 0; i < 100; i++) {
    auth.throttle.check('admin', `198.51.${i >> 8}.${i & 255}`)
    auth.throttle.failed('admin', `198.51.${i >> 8}.${i & 255}`)
  }
  const admin = t.store.users.findByUsername('admin')!
  // no address named: conservative, as an address the admin has not signed in from
  await expect(auth.changePassword(admin, DEFAULT_ADMIN.password, 'a-new-desktop-pass-1', undefined)).rejects.toMatchObject({ kind: 'rate_limited' })
  // what the IPC transport names (main/ipc.ts): this computer
  await expect(auth.changePassword(admin, DEFAULT_ADMIN.password, 'a-new-desktop-pass-1', DESKTOP_CLIENT)).resolves.toMatchObject({ user: { username: 'admin' } })
})
