import { createHash, randomBytes } from 'node:crypto';

/**
 * HTTP authentication challenges and Digest responses (RFC 7616, which keeps
 * RFC 2617's MD5): what most Hikvision, Dahua and Reolink snapshot URLs ask
 * for. npm's digest-fetch ignores the algorithm the server names and cannot
 * take our fetch, so this is our own, small and tested against a real server.
 */

export interface Challenge {
  /** Lower case: 'basic', 'digest', … */
  scheme: string;
  params: Record<string, string>;
}

/**
 * Every challenge of a WWW-Authenticate value. Several headers arrive joined
 * by ", ", and a comma also separates one challenge's parameters, so a new
 * challenge is a token that is not followed by "=".
 */
export function parseChallenges(header: string | null): Challenge[] {
  const challenges: Challenge[] = [];
  if (!header) return challenges;
  const token = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*/y;
  let at = 0;
  let current: Challenge | undefined;
  while (at < header.length) {
    if (header[at] === ',' || header[at] === ' ') {
      at++;
      continue;
    }
    token.lastIndex = at;
    const name = token.exec(header);
    if (!name) break; // malformed: keep what was understood
    at = token.lastIndex;
    if (header[at] !== '=') {
      current = { scheme: name[1]!.toLowerCase(), params: {} };
      challenges.push(current);
      continue;
    }
    at++;
    let value: string;
    if (header[at] === '"') {
      value = '';
      for (at++; at < header.length && header[at] !== '"'; at++) {
        if (header[at] === '\\') at++;
        value += header[at] ?? '';
      }
      at++;
    } else {
      const end = header.indexOf(',', at);
      value = header.slice(at, end === -1 ? undefined : end).trim();
      at = end === -1 ? header.length : end;
    }
    if (current) current.params[name[1]!.toLowerCase()] = value;
  }
  return challenges;
}

/** Node's names for the algorithms RFC 7616 registers. */
const HASHES: Record<string, string> = {
  md5: 'md5',
  'sha-256': 'sha256',
  'sha-512-256': 'sha512-256',
};

/** The strongest Digest challenge this module can answer, if any. */
export function pickDigest(challenges: readonly Challenge[]): Challenge | undefined {
  const rank = (c: Challenge) => {
    const algorithm = baseAlgorithm(c);
    return algorithm === 'sha-512-256'
      ? 3
      : algorithm === 'sha-256'
        ? 2
        : algorithm === 'md5'
          ? 1
          : 0;
  };
  return challenges
    .filter((c) => c.scheme === 'digest' && rank(c) > 0 && c.params.nonce)
    .sort((a, b) => rank(b) - rank(a))[0];
}

function baseAlgorithm(challenge: Challenge): string {
  return (challenge.params.algorithm ?? 'MD5').toLowerCase().replace(/-sess$/, '');
}

/**
 * Answers one server's Digest challenge, request after request: the nonce
 * count goes up each time, so a camera that keeps its nonce is asked once.
 */
export class DigestSession {
  private count = 0;
  private readonly cnonce = randomBytes(16).toString('hex');
  private readonly hash: string;
  private readonly qop: 'auth' | 'auth-int' | null;

  constructor(
    private readonly challenge: Challenge,
    private readonly username: string,
    private readonly password: string,
  ) {
    this.hash = HASHES[baseAlgorithm(challenge)]!;
    const offered = (challenge.params.qop ?? '').split(',').map((q) => q.trim().toLowerCase());
    this.qop = offered.includes('auth') ? 'auth' : offered.includes('auth-int') ? 'auth-int' : null;
  }

  /** The Authorization header for `method` on `uri` (the request's path and query). */
  authorization(method: string, uri: string): string {
    const { params } = this.challenge;
    const h = (text: string) => createHash(this.hash).update(text, 'utf8').digest('hex');
    const nonce = params.nonce!;
    const realm = params.realm ?? '';
    const nc = (++this.count).toString(16).padStart(8, '0');
    let ha1 = h(`${this.username}:${realm}:${this.password}`);
    if (/-sess$/i.test(params.algorithm ?? '')) ha1 = h(`${ha1}:${nonce}:${this.cnonce}`);
    // auth-int covers the request body: a snapshot GET has none.
    const ha2 = h(this.qop === 'auth-int' ? `${method}:${uri}:${h('')}` : `${method}:${uri}`);
    const response = this.qop
      ? h(`${ha1}:${nonce}:${nc}:${this.cnonce}:${this.qop}:${ha2}`)
      : h(`${ha1}:${nonce}:${ha2}`);
    const fields = [
      `username=${quote(this.username)}`,
      `realm=${quote(realm)}`,
      `nonce=${quote(nonce)}`,
      `uri=${quote(uri)}`,
      `algorithm=${params.algorithm ?? 'MD5'}`,
      `response=${quote(response)}`,
    ];
    if (params.opaque !== undefined) fields.push(`opaque=${quote(params.opaque)}`);
    if (this.qop) fields.push(`qop=${this.qop}`, `nc=${nc}`, `cnonce=${quote(this.cnonce)}`);
    return `Digest ${fields.join(', ')}`;
  }
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
