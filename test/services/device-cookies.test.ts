// A device cookie vouches for one browser and one account, for a while (#9 §3): anything else it is
// not, whatever is done to it.
import { describe, expect, it } from 'vitest'
import { createDeviceCookies, DEVICE_COOKIE_TTL_MS } from '../../electron/services/device-cookies'

const alice = { id: 7, username: 'alice', passwordHash: 'scrypt$alice-1' }
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

describe('device cookies', () => {
  it('vouch for the user they were issued to until they expire, each with a device id of its own', () => {
    let now = 1_800_000_000_000
    const cookies = createDeviceCookies('k'.repeat(43), () => now)
    const a = cookies.issue(alice)
    const b = cookies.issue(alice)
    expect(a.name).toBe('jobdesk_device_7')
    const id = cookies.verify(alice, a.value)
    expect(id).toMatch(/^[\w-]{22}$/)
    expect(cookies.verify(alice, b.value)).not.toBe(id)
    now += DEVICE_COOKIE_TTL_MS - 1000
    expect(cookies.verify(alice, a.value)).toBe(id)
    now += 1000
    expect(cookies.verify(alice, a.value)).toBeUndefined()
  })

  it('vouch for nothing when forged, altered, another user’s, or signed with another key', () => {
    const cookies = createDeviceCookies('k'.repeat(43))
    const { value } = cookies.issue(alice)
    const [id, issued, mac] = value.split('.')
    expect(cookies.verify({ ...alice, id: 8 }, value)).toBeUndefined() // another account under the name
    expect(cookies.verify({ ...alice, username: 'bob' }, value)).toBeUndefined()
    expect(cookies.verify({ ...alice, passwordHash: 'scrypt$alice-2' }, value)).toBeUndefined() // issued before a password change (atk31)
    expect(cookies.verify(alice, `${id}x.${issued}.${mac}`)).toBeUndefined()
    // the last character of 32 bytes in base64url carries 2 unused bits: another spelling of the same bytes
    const sameBytes = mac.slice(0, -1) + B64[B64.indexOf(mac.at(-1)!) | 1]
    expect(Buffer.from(sameBytes, 'base64url')).toEqual(Buffer.from(mac, 'base64url'))
    expect(cookies.verify(alice, `${id}.${issued}.${sameBytes}`)).toBeUndefined()
    expect(cookies.verify(alice, `${id}.${Number(issued) + 1}.${mac}`)).toBeUndefined() // a later issue time: not signed
    expect(cookies.verify(alice, `${id}.${issued}.${mac}.x`)).toBeUndefined()
    expect(cookies.verify(alice, `${id}.${issued}`)).toBeUndefined()
    expect(cookies.verify(alice, undefined)).toBeUndefined()
    expect(createDeviceCookies('j'.repeat(43)).verify(alice, value)).toBeUndefined()
  })
})
