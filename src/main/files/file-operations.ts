import { randomBytes } from 'node:crypto';
import { opendir, readdir, rm, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * File helpers with the crash guarantees the tree needs: a file appears under
 * its real name only complete (a temp file, then rename or link: see
 * StagedFile), and temp files left by a killed process are swept on the next start.
 */

/** A temp path in `tempDirectory` for `finalPath`, tagged with our pid. */
export function tempPathFor(tempDirectory: string, finalPath: string): string {
  return join(
    tempDirectory,
    `${process.pid}.${randomBytes(6).toString('hex')}.${basename(finalPath)}.tmp`,
  );
}

/** Deletes a file; a file already gone is not an error. */
export async function safeDelete(path: string): Promise<'deleted' | 'missing'> {
  try {
    await unlink(path);
    return 'deleted';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

export async function fileSize(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Total bytes of the regular files under `directory` (0 if it does not exist). */
export async function directorySize(directory: string): Promise<number> {
  let total = 0;
  let dir;
  try {
    dir = await opendir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  for await (const entry of dir) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) total += await directorySize(path);
    else if (entry.isFile()) total += (await fileSize(path)) ?? 0;
  }
  return total;
}

/** Removes temp files whose writer process is gone, except those named in `keep`; answers how many. */
export async function sweepTempFiles(
  tempDirectory: string,
  keep: ReadonlySet<string> = new Set(),
): Promise<number> {
  let swept = 0;
  for (const name of await readdir(tempDirectory).catch(() => [] as string[])) {
    const pid = Number(name.split('.', 1)[0]);
    if (keep.has(name)) continue;
    if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || isProcessAlive(pid))) continue;
    await rm(join(tempDirectory, name), { force: true, recursive: true });
    swept++;
  }
  return swept;
}

/** Whether a process with this pid exists on this machine. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
