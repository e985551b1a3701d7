import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { GenerateRequest } from '../../src/main/imaging/thumbnail-engine';

/** A fresh folder for each test, removed afterwards (no database needed for image tests). */
export function useScratchDir(prefix: string): { readonly path: string } {
  let current: string | undefined;
  beforeEach(() => {
    current = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    if (current) rmSync(current, { recursive: true, force: true });
  });
  return {
    get path() {
      if (!current) throw new Error('useScratchDir: no test is running');
      return current;
    },
  };
}

/** Writes a source frame into `root` and builds the engine request for it. */
export async function frameRequest(
  root: string,
  name: string,
  bytes: Buffer,
  { small = true, thumbnailQuality = 80, smallQuality = 85 } = {},
): Promise<GenerateRequest> {
  const tempDirectory = join(root, '.tmp');
  await mkdir(join(root, 'frames'), { recursive: true });
  await mkdir(tempDirectory, { recursive: true });
  const sourcePath = join(root, 'frames', name);
  await writeFile(sourcePath, bytes);
  return {
    sourcePath,
    thumbnailPath: join(root, 'thumbnails', name),
    smallPath: small ? join(root, 'smalls', name) : null,
    thumbnailQuality,
    smallQuality,
    tempDirectory,
  };
}

/** Files under `root` other than the sources: what a failed job must not leave behind. */
export async function leftovers(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const sub of ['thumbnails', 'smalls', '.tmp']) {
    const names = await readdir(join(root, sub)).catch(() => [] as string[]);
    found.push(...names.map((name) => `${sub}/${name}`));
  }
  return found;
}
