import type { Operations } from '../database/operations';

/**
 * The bearer token a non-loopback bind requires: only its SHA-256 is kept, in
 * the settings table under `http_token_sha256`. SettingsService ignores keys it
 * does not know, so the hash never shows in settings.get.
 */
export const TOKEN_SETTING_KEY = 'http_token_sha256';

/** Where the library keeps the bearer token's hash (never the token). */
export interface TokenStore {
  readHash(): string | null;
  writeHash(hash: string): void;
}

export function tokenStore(ops: Pick<Operations, 'settings'>): TokenStore {
  return {
    readHash() {
      const row = ops.settings.getAll().find((setting) => setting.key === TOKEN_SETTING_KEY);
      if (!row) return null;
      const value: unknown = JSON.parse(row.value);
      return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? value : null;
    },
    writeHash(hash) {
      ops.settings.set(TOKEN_SETTING_KEY, JSON.stringify(hash));
    },
  };
}
