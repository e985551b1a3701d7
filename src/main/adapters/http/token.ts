import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TokenStore } from '../../api/host';

/** The token is shown once, when issued; the library keeps only its hash. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Makes a new token, stores its hash (replacing any older one) and answers the token. */
export function issueToken(store: TokenStore): string {
  const token = randomBytes(32).toString('base64url');
  store.writeHash(hashToken(token));
  return token;
}

/** Constant-time: both sides are fixed-length digests, whatever was presented. */
export function tokenMatches(presented: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
