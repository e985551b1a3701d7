import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { open, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real small file system for the full-disk tests: a tmpfs mounted with
 * `mount -t tmpfs -o size=…` on a fresh folder. This machine and CI run as
 * root; where mounting is impossible (not root, no mount namespace) the tests
 * skip and say why. Filling it writes a real file until the kernel answers
 * ENOSPC, so every write of the library then fails as on a full disk.
 */
export interface SmallDisk {
  /** The mount point; the library goes in a folder below it. */
  readonly path: string;
  /** Fills the disk until `leaveBytes` (rounded to pages) are free. */
  fill(leaveBytes?: number): Promise<void>;
  /** Frees what fill() took. */
  free(): Promise<void>;
  freeBytes(): number;
  unmount(): void;
}

const FILLER = '.filler';

/** Why tmpfs cannot be mounted here, or null when it can (a probe mount, at once unmounted). */
export function smallDiskUnavailable(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const probe = mkdtempSync(join(tmpdir(), 'timelapser-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

export function mountSmallDisk(sizeMb: number): SmallDisk {
  const path = mkdtempSync(join(tmpdir(), 'timelapser-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', path], { stdio: 'pipe' });
  const filler = join(path, FILLER);
  const freeBytes = () => {
    const info = statfsSync(path);
    return info.bavail * info.bsize;
  };
  return {
    path,
    freeBytes,
    async fill(leaveBytes = 0) {
      const handle = await open(filler, 'a');
      try {
        for (const chunk of [1024 * 1024, 4096]) {
          const bytes = Buffer.alloc(chunk, 0x5a);
          for (;;) {
            try {
              await handle.write(bytes);
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw error;
            }
          }
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (leaveBytes > 0) {
        const { size } = await stat(filler);
        await truncate(filler, Math.max(0, size - leaveBytes));
      }
    },
    async free() {
      await rm(filler, { force: true });
    },
    unmount() {
      execFileSync('umount', ['-l', path], { stdio: 'pipe' });
      rmSync(path, { recursive: true, force: true });
    },
  };
}
