import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

export function isLoopbackHost(host: string): boolean {
  const bare = stripBrackets(host).toLowerCase();
  return bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'));
}

/**
 * Names a request's Host header may carry (DNS rebinding defence): the bound
 * address, every local address when bound to a wildcard, loopback names, and
 * names the user configured.
 */
export function allowedHostNames(boundHost: string, configured: readonly string[] = []): Set<string> {
  const names = new Set<string>([...LOOPBACK_NAMES, ...configured.map((name) => stripBrackets(name).toLowerCase())]);
  const bound = stripBrackets(boundHost).toLowerCase();
  if (WILDCARDS.has(bound)) {
    const name = hostname().toLowerCase();
    names.add(name).add(`${name}.local`); // the mDNS name kiosks on the LAN usually use
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) names.add(address.address.toLowerCase().replace(/%.*$/, ''));
    }
  } else {
    names.add(bound);
  }
  return names;
}

/** The host name of a Host header ("name:port", "[v6]:port", "name"), lower-cased. */
export function hostHeaderName(header: string | undefined): string | null {
  if (!header) return null;
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end > 0 ? value.slice(1, end) : null;
  }
  const colons = value.split(':').length - 1;
  if (colons > 1) return null; // an unbracketed IPv6 address is not a valid Host header
  return colons === 1 ? value.slice(0, value.indexOf(':')) : value;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
