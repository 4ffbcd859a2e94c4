// The HTTP calls JobDesk makes for its users (Rill Flow function tasks and completion callbacks, the
// http executor). Each socket is noted as JobDesk's own (own-calls.ts noteOwnCall), so
// JobDesk's server never takes such a call for this computer; and a call made for a user who is not
// an admin may not reach this computer or link-local addresses (cloud metadata at 169.254.169.254),
// checked on the address the connection is made to, so that a name that resolves elsewhere the
// second time (DNS rebinding) or a redirect gets no further than the URL the user gave.

import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import { connect as netConnect, isIP, type LookupFunction, type Socket } from 'node:net'
import { networkInterfaces } from 'node:os'
import { connect as tlsConnect } from 'node:tls'
import { Agent, fetch as undiciFetch, type buildConnector, type RequestInit as UndiciRequestInit } from 'undici'
import { noteOwnCall } from './own-calls'

/** Who a call is made for: `admin` may call any address; `user` (anyone else) no loopback, link-local or unspecified one. */
export type CallerReach = 'admin' | 'user'

/** A connection a user's call may not make; the message names the host and why. */
export class AddressRefusedError extends Error {}

/**
 * An IPv6 address (without zone or brackets) as the URL parser writes it: compressed, lower case, an
 * IPv4 tail in hex (`::ffff:7f00:1`), so two spellings of one address compare equal. Throws TypeError
 * for text that is not an IPv6 address.
 */
const canonicalIPv6 = (a: string): string => new URL(`http://[${a}]/`).hostname.slice(1, -1)

/**
 * What kind of address `ip` is when a non-admin's call may not reach it, else undefined: loopback
 * (127.0.0.0/8, ::1), link-local (169.254.0.0/16, fe80::/10; cloud metadata), the cloud metadata
 * addresses outside link-local (Alibaba 100.100.100.200, AWS fd00:ec2::254), this computer's own
 * interface addresses (ownAddresses), unspecified (0.0.0.0/8,
 * ::, which connect to this computer), IPv4-mapped IPv6 forms included.
 */
export function refusedAddressKind(ip: string): string | undefined {
  const a = ip.toLowerCase().split('%')[0]
  const v4 = mappedIPv4(a) ?? a
  const kind = addressKind(a, v4)
  if (kind) return kind
  if (isIP(v4) !== 0 && ownAddresses().has(isIP(v4) === 4 ? v4 : canonicalIPv6(a))) return "one of this computer's own addresses"
  return undefined
}

/** The kinds refusedAddressKind knows by the address alone: `a` lower case without a zone, `v4` its IPv4 form if mapped. */
function addressKind(a: string, v4: string): string | undefined {
  if (isIP(v4) === 4) {
    const [first, second] = v4.split('.').map(Number)
    if (first === 127) return 'a loopback address (this computer)'
    if (first === 0) return 'an unspecified address (this computer)'
    if (first === 169 && second === 254) return 'a link-local address (cloud metadata lives there)'
    if (v4 === '100.100.100.200') return 'a cloud metadata address (Alibaba Cloud)'
    return undefined
  }
  if (a === '::1') return 'a loopback address (this computer)'
  if (a === '::') return 'an unspecified address (this computer)'
  if (/^fe[89ab]/.test(a)) return 'a link-local address'
  if (canonicalIPv6(a) === 'fd00:ec2::254') return 'a cloud metadata address (AWS, IPv6)'
  return undefined
}

let own: { at: number; addresses: Set<string> } | undefined
/**
 * This computer's interface addresses (a LAN address, a docker bridge's, its IPv6 ones), read again at
 * most every 10 s: a connection to any of them reaches every service here that listens on all
 * interfaces as surely as 127.0.0.1 does (atk40: a non-admin's task read such a service through the LAN address).
 */
function ownAddresses(): Set<string> {
  const now = Date.now()
  if (!own || now - own.at > 10_000) {
    const addresses = new Set<string>()
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) addresses.add(i.family === 'IPv6' ? canonicalIPv6(i.address.split('%')[0]) : i.address)
    own = { at: now, addresses }
  }
  return own.addresses
}

/**
 * The IPv4 address an IPv4-mapped IPv6 address stands for, in either spelling: `::ffff:127.0.0.1`, or
 * `::ffff:7f00:1` as the URL parser writes it (a connection to it reaches 127.0.0.1); else undefined.
 */
function mappedIPv4(a: string): string | undefined {
  if (isIP(a) !== 6) return undefined
  const m = /^(?:0{0,4}:){0,5}:?ffff:(.+)$/.exec(canonicalIPv6(a))
  if (!m) return undefined
  if (isIP(m[1]) === 4) return m[1]
  const [high, low] = m[1].split(':').map((g) => parseInt(g, 16))
  return [high >> 8, high & 255, low >> 8, low & 255].join('.')
}

const refused = (host: string, address: string, kind: string): AddressRefusedError =>
  new AddressRefusedError(`${host}${address === host ? '' : ` is ${address}`}, ${kind}: a task of a user who is not an admin may not call it (an admin's may)`)

/** dns.lookup that hands on only the addresses a non-admin's call may reach; none: AddressRefusedError naming the host. */
const userLookup = ((hostname: string, options: LookupOptions, callback: (e: Error | null, address: string | LookupAddress[], family?: number) => void) => {
  dnsLookup(hostname, { ...options, all: true }, (e, addresses) => {
    if (e) return callback(e, '')
    const allowed = addresses.filter((a) => refusedAddressKind(a.address) === undefined)
    if (!allowed.length) return callback(refused(hostname, addresses[0].address, refusedAddressKind(addresses[0].address)!), '')
    if (options.all) return callback(null, allowed)
    callback(null, allowed[0].address, allowed[0].family)
  })
}) as LookupFunction

/** How long a connection may take to be made (undici's own default). */
const CONNECT_TIMEOUT_MS = 10_000

/** A connector for undici's Agent: plain or TLS sockets, each noted as JobDesk's own; for `user`, only to addresses userLookup lets through. */
function connector(reach: CallerReach) {
  return (o: buildConnector.Options, callback: buildConnector.Callback): void => {
    const host = o.hostname.startsWith('[') ? o.hostname.slice(1, -1) : o.hostname
    const literal = isIP(host) !== 0
    const kind = reach === 'user' && literal ? refusedAddressKind(host) : undefined
    if (kind) return callback(refused(host, host, kind), null) // an address in the URL: no lookup to check it in
    const tls = o.protocol === 'https:'
    const port = Number(o.port) || (tls ? 443 : 80)
    const lookup = reach === 'user' ? userLookup : undefined
    const socket: Socket = tls
      ? tlsConnect({ host, port, lookup, servername: o.servername ?? (literal ? undefined : host), ALPNProtocols: ['http/1.1'] })
      : netConnect({ host, port, lookup })
    socket.setNoDelay(true)
    const timer = setTimeout(() => socket.destroy(new Error(`connect timeout after ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS)
    const failed = (e: Error) => {
      clearTimeout(timer)
      callback(e, null)
    }
    socket.once('error', failed)
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer)
      socket.off('error', failed)
      noteOwnCall(socket)
      callback(null, socket)
    })
  }
}

/** One Agent per reach, made on first use; each keeps its own pool of connections. */
const dispatchers = new Map<CallerReach, Agent>()
function dispatcherFor(reach: CallerReach): Agent {
  let d = dispatchers.get(reach)
  if (!d) dispatchers.set(reach, (d = new Agent({ connect: connector(reach) })))
  return d
}

/**
 * fetch() for a call JobDesk makes on a user's behalf: the same arguments and answer, its sockets
 * noted as JobDesk's own, and for `reach` user no connection to a loopback, link-local or
 * unspecified address (redirects included). Rejects as fetch does (TypeError "fetch failed");
 * for a refused address its `cause` is an AddressRefusedError (isAddressRefused).
 */
export async function outgoingFetch(url: string | URL, init: RequestInit, reach: CallerReach): Promise<Response> {
  // undici's own fetch with its own Agent (a pinned dependency): Node's bundled undici exposes no Agent to pass
  const res = await undiciFetch(url, { ...(init as UndiciRequestInit), dispatcher: dispatcherFor(reach) })
  return res as unknown as Response
}

/** Whether fetch's error `e` is a refused address (retrying cannot help). */
export function isAddressRefused(e: unknown): boolean {
  return (e as { cause?: unknown })?.cause instanceof AddressRefusedError
}
