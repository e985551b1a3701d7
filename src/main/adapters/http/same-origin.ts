import type { FastifyRequest } from 'fastify';
import { CrossOriginError } from './http-errors';

/**
 * Refuses a request another site's page made, before any route runs, on every
 * bind, token or not. Browsers name the page behind a request: `Origin` on
 * every POST and DELETE (forms and no-cors fetches too) and on cross-origin
 * reads, `Sec-Fetch-Site` on everything. Allowed: no Origin (curl, the CLI, a
 * same-origin GET) or our own origin (scheme + the Host header the browser
 * used); `Sec-Fetch-Site` anything but `cross-site`. A page on another port of
 * the same host is `same-site`, so for it the Origin rule is what holds.
 * One exception: a top-level GET navigation from another site (a link on a
 * home-lab dashboard) opens the UI; it reads nothing back and changes nothing.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin ?? null;
  const site = header(request, 'sec-fetch-site');
  const foreignOrigin = origin !== null && !isOwnOrigin(origin, request.headers.host);
  const foreignSite = site === 'cross-site' && !isNavigation(request);
  if (foreignOrigin || foreignSite) throw new CrossOriginError({ origin, sec_fetch_site: site });
}

/**
 * `Origin` names our server: same host and port as the Host header. https is
 * accepted beside http for a TLS-terminating proxy in front (only we answer
 * on this host and port either way).
 */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin); // "null" (sandboxed frames, privacy redirects) does not parse
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  try {
    return parsed.host === new URL(`${parsed.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

function isNavigation(request: FastifyRequest): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    header(request, 'sec-fetch-mode') === 'navigate' &&
    header(request, 'sec-fetch-dest') === 'document'
  );
}

function header(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' ? value.toLowerCase() : null;
}
