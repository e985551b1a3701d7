import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../src/shared/csp';

describe('one Content-Security-Policy', () => {
  it('is written into the built index.html (npm test builds before vitest)', () => {
    const index = join(import.meta.dirname, '..', '..', 'out', 'renderer', 'index.html');
    expect(existsSync(index), 'out/renderer/index.html: run electron-vite build').toBe(true);
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(
      readFileSync(index, 'utf8'),
    );
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
  });

  it('forbids remote code, eval and framing; the meta form only drops what a meta tag cannot carry', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(META_CONTENT_SECURITY_POLICY).toBe(
      CONTENT_SECURITY_POLICY.split('; ')
        .filter((d) => !d.startsWith('frame-ancestors'))
        .join('; '),
    );
  });
});
