import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { CoreContext } from '../context';
import type { ImageRow } from '../database/types';

/**
 * The camera's frame with these bytes, whichever session holds it. Rows
 * stored before frames carried a content hash are matched too: those with the
 * same capture time and size have their file hashed (once, the hash is kept),
 * so importing a folder again after the upgrade still stores nothing twice.
 */
export async function findHeldFrame(
  ctx: CoreContext,
  cameraId: number,
  contentHash: Buffer,
  capturedAt: number,
  fileSize: number,
): Promise<ImageRow | undefined> {
  const held = ctx.ops.images.findByContentHash(cameraId, contentHash);
  if (held) return held;
  for (const older of ctx.ops.images.listUnhashedSameFrame(cameraId, capturedAt, fileSize)) {
    const bytes = await readFile(ctx.tree.resolve(older.file_path)).catch(() => null);
    if (!bytes) continue;
    const hash = createHash('sha256').update(bytes).digest();
    ctx.ops.images.setContentHash(older.id, hash);
    if (hash.equals(contentHash)) return older;
  }
  return undefined;
}

/** The image row's unique (camera, content hash) index refused an insert: another writer stored these bytes first. */
export function isHeldFrameConflict(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && /content_hash/.test(message ?? '');
}
