// What a client's address means to sign-in rules: which addresses are this computer, and which
// spellings of an address are one client (also the unit the HTTP layer shares places and held body
// bytes by: http/connection-gate.ts, http/body-rate.ts).

import { isIPv6 } from 'node:net'
import { isOwnCallSocket } from '../executors/own-calls'
import { unmappedIPv4 } from '../ip-address'

/**
 * The client address the desktop window's operations (IPC, main/ipc.ts) are made from: this
 * computer, as loopback is (isLoopbackAddress), but a client of its own for counting
 * (clientAddressKey): only this process receives IPC, so no socket's guesses are ever the window's
 * (atk28). Passed explicitly, so that an operation with no address (undefined) is still counted
 * conservatively, as a client that is not this computer. Not an IP address, so no socket's address
 * is ever this.
 */
export const DESKTOP_CLIENT = 'desktop-window'

/**
 * The client address of a request JobDesk itself made (a Rill Flow function task, a completion
 * callback: executors/outgoing-http.ts) and received on its own server. Not this computer, whatever
 * the socket's address: those calls come from loopback, but a user chose where they go and what they
 * send (atk38b: a function task signed in as admin with the default password, which works from
 * loopback only). Not an IP address, so no socket's address is ever this; counted as one client.
 */
export const OWN_CALL_CLIENT = 'jobdesk-own-call'

/**
 * The address a request to JobDesk's server comes from, as sign-in rules see it: OWN_CALL_CLIENT for
 * one of JobDesk's own calls (its socket was matched to one as it was accepted: own-calls.ts), else
 * `req.ip`. Every loopback-only privilege reads the client from here, never from the socket or `req.ip` directly.
 */
export function requestClient(req: { ip: string; socket: object }): string {
  return isOwnCallSocket(req.socket) ? OWN_CALL_CLIENT : req.ip
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (how Node reports them on a dual-stack socket), and DESKTOP_CLIENT. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false
  return unmappedIPv4(address).startsWith('127.') || address === '::1' || address === DESKTOP_CLIENT
}

/**
 * The /64 an IPv6 address is in, as `2001:db8:1:2::/64` (groups without leading zeros); undefined
 * for anything that is not IPv6. A zone (`fe80::1%eth0`) is dropped.
 */
function ipv6Prefix64(address: string): string | undefined {
  const a = address.split('%')[0]
  if (!isIPv6(a)) return undefined
  /** The 16-bit groups of a part of the address; a dotted IPv4 tail is two groups (it is past the /64 anyway). */
  const groups = (part: string): string[] => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : [])
  const [head, tail] = a.split('::')
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)]
  return `${all.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`
}

/**
 * One name per client, for counting what a client does: every loopback address is `loopback` (a
 * local process may bind any of 127.0.0.0/8 as its source, so each one is not a client of its own),
 * the desktop window is DESKTOP_CLIENT (its own: any local process without an account may send to
 * loopback, so counting the window with loopback let 5 guesses at admin lock the owner's password
 * change in the window, atk28), an IPv4-mapped IPv6 address is its IPv4 form, and any other IPv6
 * address is its /64 (`2001:db8:1:2::/64`), link-local fe80::/64 included: one host or LAN is
 * handed a whole /64 and may take any address in it (SLAAC privacy addresses rotate inside it).
 * Anything else is kept as given.
 */
export function clientAddressKey(address: string): string {
  if (address === DESKTOP_CLIENT) return DESKTOP_CLIENT
  if (isLoopbackAddress(address)) return 'loopback'
  const a = address.toLowerCase()
  const v4 = unmappedIPv4(a)
  return v4 !== a ? v4 : (ipv6Prefix64(a) ?? a)
}
