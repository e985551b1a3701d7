import { access, link, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tempPathFor } from './file-operations';

/**
 * The tree's atomic write: bytes written once to the temp folder (fsynced),
 * then given a final name only if that name is free: link() fails with EEXIST
 * instead of replacing an existing file the way rename() would. The name
 * appears complete or not at all, and a crash leaves only a temp file that
 * the next start sweeps. Between publish() and discard() the temp file and
 * the final name are one inode (two links): a start after a kill in that
 * window finds the published file from its temp (see ingest's adoption).
 */
export class StagedFile {
  private constructor(private readonly temp: string) {}

  /** `mtime`, when given, becomes the file's modification time (a frame's capture time). */
  static async write(
    tempDirectory: string,
    nameHint: string,
    bytes: Uint8Array,
    { mtime }: { mtime?: number } = {},
  ): Promise<StagedFile> {
    const temp = tempPathFor(tempDirectory, nameHint);
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      if (mtime !== undefined) await handle.utimes(mtime / 1000, mtime / 1000);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    return new StagedFile(temp);
  }

  /** A temp path for bytes another process writes (ffmpeg's output), published like any other. */
  static reserve(tempDirectory: string, nameHint: string): StagedFile {
    return new StagedFile(tempPathFor(tempDirectory, nameHint));
  }

  /** Where the staged bytes are. */
  get path(): string {
    return this.temp;
  }

  /** Flushes what another process wrote, so the published name never shows a torn file after a crash. */
  async sync(): Promise<void> {
    const handle = await open(this.temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Gives the file `finalPath`; false (nothing changed) when that name is taken. */
  async publish(finalPath: string): Promise<boolean> {
    await mkdir(dirname(finalPath), { recursive: true });
    try {
      await link(this.temp, finalPath);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    }
    // File systems without hard links (FAT, some network shares): check, then rename.
    if (await exists(finalPath)) return false;
    await rename(this.temp, finalPath);
    return true;
  }

  /** Removes the temp file (after publishing, the final name keeps the data). */
  async discard(): Promise<void> {
    await rm(this.temp, { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
