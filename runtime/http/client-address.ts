/**
 * The key a per-address limit counts a client under.
 *
 * - IPv4, and IPv4-mapped IPv6 (`::ffff:192.0.2.1`), count per address;
 * - IPv6 counts per /64: one customer site or host usually gets a whole /64
 *   (RFC 6177 §3 recommends at least a /56 per site), so a key per address
 *   would let one client spread its requests over 2^64 counters;
 * - anything unparseable counts under one shared `unknown` key.
 * What it does not do: decide which address is the client's (that is
 * Express `trust proxy`, `req.ip`).
 */
import ipaddr from 'ipaddr.js';

export function clientAddressKey(ip: string | undefined): string {
  if (ip === undefined || !ipaddr.isValid(ip)) return 'unknown';
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/64`).toString()}/64`;
}
