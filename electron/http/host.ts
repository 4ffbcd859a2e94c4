// The Host header, parsed strictly, and the names this machine answers to. A page that rebinds its
// own DNS name to 127.0.0.1 still sends that name as Host: refusing names we do not know stops it.

import { isIPv4, isIPv6 } from 'node:net'
import { hostname, networkInterfaces } from 'node:os'

/** A Host header split into its parts: `name` is lower-case; an IPv6 address keeps its brackets, in canonical form. */
export interface HostHeader {
  name: string
  port?: number
}

export const LOOPBACK_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]']

// RFC 1123 labels (underscores allowed, as some machine names carry them), at most 253 characters in all.
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/
const PORT = /^:([1-9]\d{0,4})$/

/**
 * Parses a Host header (RFC 9110 §7.2: uri-host [":" port]) and refuses anything else:
 * `127.0.0.1:80@evil.com`, `[::1]evil.com`, `127.1`, an empty port or one above 65535.
 * Returns undefined for an invalid header.
 */
export function parseHost(header: string | undefined): HostHeader | undefined {
  if (!header) return undefined
  const value = header.toLowerCase()
  let name: string
  let rest: string
  if (value.startsWith('[')) {
    const end = value.indexOf(']')
    if (end < 0 || !isIPv6(value.slice(1, end))) return undefined
    name = new URL(`http://${value.slice(0, end + 1)}/`).hostname // [0:0::1] → [::1]
    rest = value.slice(end + 1)
  } else {
    const colon = value.indexOf(':')
    name = colon < 0 ? value : value.slice(0, colon)
    rest = colon < 0 ? '' : value.slice(colon)
    // a name ending in a number is an IPv4 address to browsers (WHATWG URL): dotted-quad or nothing (no 127.1, 0x7f.0.0.1)
    const numeric = /(?:^|\.)(?:\d+|0x[\da-f]*)$/.test(name)
    if (numeric ? !isIPv4(name) : !HOSTNAME.test(name)) return undefined
  }
  if (rest === '') return { name }
  const port = PORT.exec(rest)
  if (!port || Number(port[1]) > 65535) return undefined
  return { name, port: Number(port[1]) }
}

/**
 * A configured host entry in Host-header form: `jobdesk.lan`, `10.0.0.5`, `[fd00::5]`; a bare IPv6
 * address gets its brackets, a port is dropped. Undefined for an entry that is no valid host.
 */
export function hostEntry(entry: string): string | undefined {
  const trimmed = entry.trim()
  return parseHost(isIPv6(trimmed) ? `[${trimmed}]` : trimmed)?.name
}

/** The names this machine is reached by: its host name (and `<name>.local` for mDNS) and every interface address. */
export function machineHostNames(): string[] {
  const names = new Set<string>()
  const own = hostname().toLowerCase()
  for (const name of [own, own.split('.')[0], `${own.split('.')[0]}.local`]) {
    const entry = hostEntry(name)
    if (entry) names.add(entry)
  }
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      const entry = hostEntry(a.address)
      if (entry) names.add(entry)
    }
  }
  return [...names]
}

/** Whether a listen address (`--host`) keeps the server on loopback. */
export function isLoopbackHost(listenHost: string): boolean {
  const name = hostEntry(listenHost)
  return name !== undefined && LOOPBACK_HOST_NAMES.includes(name)
}
