// Which spellings of a client address are one client for the sign-in back-off (login-throttle.ts).
import { expect, it } from 'vitest'
import { clientAddressKey, DESKTOP_CLIENT, isLoopbackAddress } from '../../electron/services/client-address'

it('names an IPv6 client by its /64 however the address is written, and keeps IPv4 and loopback as they were', () => {
  const oneHost = ['2001:db8:1:2::5', '2001:DB8:1:2:ffff:1:0:1', '2001:0db8:0001:0002:0003:0004:0005:0006', '2001:db8:1:2::1.2.3.4']
  expect(new Set(oneHost.map(clientAddressKey))).toEqual(new Set(['2001:db8:1:2::/64']))
  expect(clientAddressKey('2001:db8:1:3::5')).toBe('2001:db8:1:3::/64') // the next /64: another client
  expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
  expect(clientAddressKey('fe80::1%eth0')).toBe(clientAddressKey('fe80::abcd:2')) // link-local: one /64, the zone dropped
  expect(clientAddressKey('::ffff:192.0.2.7')).toBe('192.0.2.7')
  expect(clientAddressKey('192.0.2.7')).toBe('192.0.2.7')
  expect(clientAddressKey('::1')).toBe('loopback')
  expect(clientAddressKey('::ffff:127.0.0.9')).toBe('loopback')
})

it('keeps the desktop window a client of its own, though it is this computer (atk28: loopback guesses locked it)', () => {
  expect(isLoopbackAddress(DESKTOP_CLIENT)).toBe(true) // the default password works there
  expect(clientAddressKey(DESKTOP_CLIENT)).toBe(DESKTOP_CLIENT)
  expect(clientAddressKey(DESKTOP_CLIENT)).not.toBe(clientAddressKey('127.0.0.1'))
})
