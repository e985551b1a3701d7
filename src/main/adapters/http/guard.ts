import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hostHeaderName } from './hosts';
import { ForbiddenHostError, UnauthorizedError } from './http-errors';
import { assertSameOrigin } from './same-origin';
import { tokenMatches } from './token';

export const TOKEN_COOKIE = 'timelapser_token';

export interface GuardOptions {
  /** Host header names accepted; anything else is 403 (DNS rebinding). */
  allowedHosts: ReadonlySet<string>;
  /** SHA-256 of the bearer token, or null when no token is required (loopback bind). */
  tokenHash: string | null;
}

/**
 * Runs first on every request: the Host check (DNS rebinding), then the
 * same-origin check (another site's page), then the token. With a token, a
 * request carries it as `Authorization: Bearer …` or in the cookie a browser
 * gets by opening any page once with `?token=…` (img tags and EventSource
 * cannot send headers).
 */
export function installGuard(app: FastifyInstance, options: GuardOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    const host = hostHeaderName(request.headers.host);
    if (!host || !options.allowedHosts.has(host)) throw new ForbiddenHostError(host);
    assertSameOrigin(request);
    if (!options.tokenHash) return;
    const presented = bearerToken(request) ?? cookieValue(request.headers.cookie, TOKEN_COOKIE);
    if (presented !== null && tokenMatches(presented, options.tokenHash)) return;
    if (pageLogin(request, reply, options.tokenHash)) return reply;
    reply.header('www-authenticate', 'Bearer realm="timelapser"');
    throw new UnauthorizedError();
  });
}

/** GET /any-page?token=… with the right token: set the cookie and drop the token from the URL. */
function pageLogin(request: FastifyRequest, reply: FastifyReply, tokenHash: string): boolean {
  if (request.method !== 'GET' || request.url.startsWith('/api/')) return false;
  const url = new URL(request.url, 'http://local');
  const token = url.searchParams.get('token');
  if (token === null || !tokenMatches(token, tokenHash)) return false;
  url.searchParams.delete('token');
  reply
    .header(
      'set-cookie',
      `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
    )
    .redirect(sameOriginPath(url), 303);
  return true;
}

/**
 * The path to send a browser back to, never off this origin: a path that
 * starts with `//` or `/\` (`/.//evil.example/` parses to one) would be read
 * as another host, so leading slashes and backslashes collapse to one.
 */
export function sameOriginPath(url: URL): string {
  return `/${url.pathname.replace(/^[/\\]+/, '')}${url.search}`;
}

function bearerToken(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match ? match[1]! : null;
}

export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}
