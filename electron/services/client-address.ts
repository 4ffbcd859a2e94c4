// What a client's address means to sign-in rules: which addresses are this computer, and which
// spellings of an address are one client.

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (how Node reports them on a dual-stack socket). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  return v4.startsWith('127.') || address === '::1'
}

/**
 * One name per client, for counting what a client does: every loopback address is `loopback`
 * (a local process may bind any of 127.0.0.0/8 as its source, so each one is not a client of its
 * own), an IPv4-mapped IPv6 address is its IPv4 form, IPv6 is in lower case.
 */
export function clientAddressKey(address: string): string {
  if (isLoopbackAddress(address)) return 'loopback'
  const a = address.toLowerCase()
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a
}
