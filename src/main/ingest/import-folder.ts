import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ImportFolderResult, ImportProgress, RejectedFile } from '../../shared/contract';
import type { CoreContext } from '../context';
import type { CameraRow, TimelapseRow } from '../database/types';
import { ValidationError } from '../errors';
import type { CameraService } from '../catalogue/camera-service';
import type { TimelapseService } from '../catalogue/timelapse-service';
import { captureTimeOf } from '../imaging/capture-time';
import { InvalidImageError } from '../imaging/image-errors';
import { readFrameFile } from '../imaging/frame-file';
import type { FramePipeline } from './frame-pipeline';

/** What an import runs through: the pipeline (queueing low) and the catalogue's services. */
export interface ImportParts {
  pipeline: FramePipeline;
  cameras: CameraService;
  timelapses: TimelapseService;
}

export interface ImportFolderOptions {
  folder: string;
  cameraName: string;
  /** Defaults to the folder's name. */
  timelapseName?: string;
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
}

interface Candidate {
  name: string;
  path: string;
  capturedAt: number;
}

const BATCH = 32;
const FRAME_FILE = /\.jpe?g$/i;

/**
 * `timelapser import <folder> --camera NAME [--timelapse NAME]`: every JPEG of
 * the folder, in capture order (EXIF DateTimeOriginal, else modification time),
 * through the same pipeline as live capture. Creates the camera (a disabled
 * folder camera) and the timelapse when missing; a new session starts at the
 * first frame, so day numbers and names follow the real capture times.
 * Idempotent: a frame the timelapse already holds (same capture time and size)
 * is skipped. Cancelling keeps what was imported; running again resumes.
 */
export async function importFolder(
  ctx: CoreContext,
  parts: ImportParts,
  options: ImportFolderOptions,
): Promise<ImportFolderResult> {
  const folder = resolve(options.folder);
  const candidates = await scan(folder, options);
  if (candidates.length === 0)
    throw new ValidationError('The folder holds no .jpg files to import', { folder });
  const camera = findOrCreateCamera(ctx, parts.cameras, options.cameraName, folder);
  const timelapse = findOrCreateTimelapse(
    ctx,
    parts.timelapses,
    camera,
    options.timelapseName ?? basename(folder),
    candidates[0]!.capturedAt,
  );
  const { pipeline } = parts;
  const result: ImportFolderResult = {
    imported: 0,
    skipped_duplicates: 0,
    rejected: [],
    camera_id: camera.id,
    timelapse_id: timelapse.id,
  };
  try {
    for (let i = 0; i < candidates.length; i++) {
      options.signal?.throwIfAborted();
      const rejection = await ingestOne(
        ctx,
        pipeline,
        camera.id,
        timelapse,
        candidates[i]!,
        result,
      );
      if (rejection) result.rejected.push(rejection);
      if ((i + 1) % BATCH === 0 || i + 1 === candidates.length) {
        report(options, 'importing', i + 1, candidates.length, result);
        await yieldToLoop();
      }
    }
  } finally {
    ctx.events.emit({
      type: 'timelapse_changed',
      timelapse_id: timelapse.id,
      camera_id: camera.id,
    });
  }
  return result;
}

async function ingestOne(
  ctx: CoreContext,
  pipeline: FramePipeline,
  cameraId: number,
  timelapse: TimelapseRow,
  candidate: Candidate,
  result: ImportFolderResult,
): Promise<RejectedFile | undefined> {
  if (candidate.capturedAt < timelapse.started_at) {
    return { file: candidate.name, reason: 'before_timelapse_start' };
  }
  let bytes: Buffer;
  try {
    bytes = await readFrameFile(candidate.path); // a file over the frame byte cap is never read in
  } catch (error) {
    if (error instanceof InvalidImageError) return { file: candidate.name, reason: error.reason };
    const code = (error as { details?: { code?: string } }).details?.code;
    return { file: candidate.name, reason: `unreadable: ${code ?? 'error'}` };
  }
  const camera = ctx.ops.cameras.getById(cameraId)!;
  const outcome = await pipeline.ingest({
    camera,
    timelapse,
    bytes,
    capturedAt: candidate.capturedAt,
    skipDuplicates: true,
  });
  if (outcome.kind === 'rejected') return { file: candidate.name, reason: outcome.reason };
  if (outcome.kind === 'duplicate') result.skipped_duplicates++;
  else result.imported++;
  return undefined;
}

/** The folder's JPEGs with their capture times, oldest first (ties by name). */
async function scan(folder: string, options: ImportFolderOptions): Promise<Candidate[]> {
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory())
    throw new ValidationError('The import folder does not exist or is not a folder', { folder });
  const names = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && FRAME_FILE.test(entry.name))
    .map((entry) => entry.name);
  const candidates: Candidate[] = [];
  for (let i = 0; i < names.length; i += BATCH) {
    options.signal?.throwIfAborted();
    const batch = names.slice(i, i + BATCH).map(async (name) => {
      const path = join(folder, name);
      const { mtimeMs } = await stat(path);
      return { name, path, capturedAt: await captureTimeOf(path, mtimeMs) };
    });
    candidates.push(...(await Promise.all(batch)));
    report(options, 'scanning', candidates.length, names.length, undefined);
    await yieldToLoop();
  }
  return candidates.sort((a, b) => a.capturedAt - b.capturedAt || a.name.localeCompare(b.name));
}

function findOrCreateCamera(
  ctx: CoreContext,
  cameras: CameraService,
  name: string,
  folder: string,
): CameraRow {
  const existing = ctx.ops.cameras.getByName(name.trim());
  if (existing) return existing;
  // Disabled and without a watch folder: enabling it must not start consuming the import folder.
  return cameras.create({
    name,
    source_type: 'folder',
    source_url: null,
    source_options: { imported_from: folder },
    enabled: false,
  });
}

/**
 * The named session of the camera, or a new one: active when the camera has
 * none, else stopped. An empty session (new, or left empty) starts at the first frame.
 */
function findOrCreateTimelapse(
  ctx: CoreContext,
  timelapses: TimelapseService,
  camera: CameraRow,
  name: string,
  firstFrameAt: number,
): TimelapseRow {
  const existing = ctx.ops.timelapses.getByName(camera.id, name);
  if (existing) {
    if (existing.image_count > 0 || existing.started_at === firstFrameAt) return existing;
    ctx.ops.timelapses.setStartedAt(existing.id, firstFrameAt);
    return ctx.ops.timelapses.getById(existing.id)!;
  }
  const status = ctx.ops.timelapses.getActiveForCamera(camera.id) ? 'stopped' : 'active';
  return timelapses.create(camera.id, name, firstFrameAt, status);
}

function report(
  options: ImportFolderOptions,
  phase: ImportProgress['phase'],
  processed: number,
  total: number,
  result: ImportFolderResult | undefined,
): void {
  options.onProgress?.({
    phase,
    processed,
    total,
    imported: result?.imported ?? 0,
    skipped_duplicates: result?.skipped_duplicates ?? 0,
    rejected: result?.rejected.length ?? 0,
  });
}
