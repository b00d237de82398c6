/**
 * The SSRF guard: webhook targets must be public addresses unless `webhooks.allowPrivateNetworks`
 * is set. Checked when a URL is subscribed (a clear 400) and again on every connection through
 * the `lookup` hook of the request (so a DNS name that later resolves to a private address,
 * DNS rebinding included, is refused at delivery time too).
 */
import * as dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Loopback, private, link-local, CGNAT, multicast, reserved and documentation ranges (IPv4 and IPv6). */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96], ['100::', 64],
] as const) NON_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** True for an address a webhook may not reach without `allowPrivateNetworks`. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6) {
    // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return NON_PUBLIC.check(mapped[1]!, 'ipv4');
    return NON_PUBLIC.check(address, 'ipv6');
  }
  return NON_PUBLIC.check(address, 'ipv4');
}

/** Why a target URL is refused, or undefined when it may be used. */
export async function refuseTarget(url: string, allowPrivateNetworks: boolean): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http and https URLs can receive webhooks';
  if (parsed.username !== '' || parsed.password !== '') return 'credentials in the URL are not allowed: send them as custom headers';
  if (allowPrivateNetworks) return undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) !== 0 ? [host] : (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return `the host ${host} does not resolve`;
  }
  const blocked = addresses.find(isNonPublicAddress);
  return blocked === undefined ? undefined : `the host ${host} resolves to ${blocked}, a loopback, private or link-local address (allow with webhooks.allowPrivateNetworks)`;
}

/** A `lookup` for http.request that fails the connection when any resolved address is not public. */
export function guardedLookup(allowPrivateNetworks: boolean): LookupFunction | undefined {
  if (allowPrivateNetworks) return undefined;
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as dns.LookupAddress[];
      const blocked = list.find((a) => isNonPublicAddress(a.address));
      if (blocked !== undefined) {
        const refusal = Object.assign(new Error(`refused: ${hostname} resolves to the non-public address ${blocked.address}`), { code: 'WEBHOOK_TARGET_REFUSED' });
        return callback(refusal, '', 0);
      }
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
