import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Operations } from '../database/operations';

/**
 * The bearer token a non-loopback bind requires. Only its SHA-256 is kept, in
 * the settings table under `http_token_sha256` (SettingsService ignores keys it
 * does not know, so the hash never shows in settings.get). The token itself is
 * shown once, when issued.
 */
export const TOKEN_SETTING_KEY = 'http_token_sha256';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function readTokenHash(ops: Pick<Operations, 'settings'>): string | null {
  const row = ops.settings.getAll().find((setting) => setting.key === TOKEN_SETTING_KEY);
  if (!row) return null;
  const value: unknown = JSON.parse(row.value);
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? value : null;
}

/** Makes a new token, stores its hash (replacing any older one) and answers the token. */
export function issueToken(ops: Pick<Operations, 'settings'>): string {
  const token = randomBytes(32).toString('base64url');
  ops.settings.set(TOKEN_SETTING_KEY, JSON.stringify(hashToken(token)));
  return token;
}

/** Constant-time: both sides are fixed-length digests, whatever was presented. */
export function tokenMatches(presented: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
