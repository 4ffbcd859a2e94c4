// Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
// signed in as a user keeps a cookie this server signed for that user, and its later sign-ins as
// that user are held only to its own failures (login-throttle.ts), not to what strangers guessed
// at the name from the same address (any local process on loopback) or from anywhere else.
// Stateless: an HMAC with a key kept in the settings table, so cookies outlive a restart.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** How long a device cookie is good after it was issued; each sign-in with it issues a fresh one. */
export const DEVICE_COOKIE_TTL_MS = 180 * 24 * 3600 * 1000

/**
 * What a device cookie names: the account it was issued for, and its password (the stored hash, which
 * a password change or an admin's reset replaces): a cookie vouches only for the password it was
 * issued under, so taking an account back by changing its password voids every cookie minted
 * before (atk31: kept cookies gave 5 more guesses each at the new password).
 */
export interface DeviceUser {
  id: number
  username: string
  passwordHash: string
}

/** A cookie to set: its name (one per user), value and lifetime (seconds), and the device id it carries. */
export interface DeviceCookie {
  id: string
  name: string
  value: string
  maxAgeSeconds: number
}

export type DeviceCookies = ReturnType<typeof createDeviceCookies>

/** Where an operation's answer carries the device cookie to set: a symbol, so JSON and IPC never see it. */
const RENEWED_DEVICE = Symbol('renewed device cookie')

/**
 * `answer` marked with the device cookie its HTTP reply sets (a password change's, re-signed for the
 * browser that made it); `device` undefined marks nothing. The mark is a non-enumerable symbol key:
 * the JSON body and an IPC answer (structured clone) leave it out. Returns `answer` itself.
 */
export function withDeviceCookie<T extends object>(answer: T, device: DeviceCookie | undefined): T {
  if (device) Object.defineProperty(answer, RENEWED_DEVICE, { value: device, enumerable: false })
  return answer
}

/** The device cookie withDeviceCookie marked `answer` with, or undefined (any other value). */
export function deviceCookieIn(answer: unknown): DeviceCookie | undefined {
  return typeof answer === 'object' && answer !== null ? (answer as { [RENEWED_DEVICE]?: DeviceCookie })[RENEWED_DEVICE] : undefined
}

/**
 * Issues and checks device cookies signed with `secret` (SettingsRepository.secret). A value is
 * `<device id>.<issued, epoch s>.<HMAC-SHA256 of user id, user name, password hash, device id and issue time>`,
 * all base64url or decimal: the device id is 16 random bytes, one per issue.
 */
export function createDeviceCookies(secret: string, now: () => number = Date.now) {
  const mac = (user: DeviceUser, id: string, issued: string): Buffer =>
    createHmac('sha256', secret).update(`device\n${user.id}\n${user.username}\n${user.passwordHash}\n${id}\n${issued}`).digest()
  return {
    /** The cookie's name for `user`: one per user, so a browser that signs in as two users is trusted for both. */
    nameFor(user: DeviceUser): string {
      return `jobdesk_device_${user.id}`
    },

    /**
     * A new device cookie for `user`, with a new device id (so the device's failures so far are not
     * carried over); with `id`, that device's again, signed under `user`'s current password (a
     * password change re-issues the changing browser's cookie: its failures stay its own).
     */
    issue(user: DeviceUser, id: string = randomBytes(16).toString('base64url')): DeviceCookie {
      const issued = String(Math.floor(now() / 1000))
      return { id, name: this.nameFor(user), value: `${id}.${issued}.${mac(user, id, issued).toString('base64url')}`, maxAgeSeconds: DEVICE_COOKIE_TTL_MS / 1000 }
    },

    /**
     * The device id of `value` when it is a cookie issue() made for this `user` (same id, name and
     * password) less than DEVICE_COOKIE_TTL_MS ago; undefined for anything else (absent, malformed,
     * forged, another user's, issued before a password change, expired). Never throws.
     */
    verify(user: DeviceUser, value: string | undefined): string | undefined {
      if (!value || value.length > 200) return undefined
      const [id, issued, signature, ...rest] = value.split('.')
      if (rest.length || !id || !signature || !/^\d{1,12}$/.test(issued ?? '')) return undefined
      const age = now() - Number(issued) * 1000
      if (age < -60_000 || age >= DEVICE_COOKIE_TTL_MS) return undefined // a minute of clock skew, as a restart may bring
      // compared as text: decoding would take spellings that differ in a last character's unused bits
      const want = Buffer.from(mac(user, id, issued).toString('base64url'))
      const got = Buffer.from(signature)
      return got.length === want.length && timingSafeEqual(got, want) ? id : undefined
    },
  }
}
