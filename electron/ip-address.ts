// How Node spells a client's or a socket's address, read the same everywhere: a helper below the
// services, executors and the HTTP layer, which all compare addresses.

/**
 * `address` without the IPv4-mapped prefix, as the IPv4 address it is: a dual-stack socket reports
 * 127.0.0.1 as `::ffff:127.0.0.1` (the dotted form; Node writes the prefix in lower case). Any other
 * text, the hex spelling `::ffff:7f00:1` included, is returned as given.
 */
export function unmappedIPv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
}
