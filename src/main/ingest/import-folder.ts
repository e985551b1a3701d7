import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ImportFolderResult, ImportProgress, RejectedFile } from '../../shared/contract';
import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import type { CameraRow, TimelapseRow } from '../database/types';
import { ValidationError } from '../errors';
import type { CameraService } from '../catalogue/camera-service';
import type { TimelapseService } from '../catalogue/timelapse-service';
import { captureTimeOf, type CaptureTime } from '../imaging/capture-time';
import { InvalidImageError } from '../imaging/image-errors';
import { readFrameFile } from '../imaging/frame-file';
import type { FramePipeline } from './frame-pipeline';
import { logRefusal } from './rejection-log';

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
  time: CaptureTime;
}

const BATCH = 32;
/** JPEG frames, and the PNG/WebP snapshots some cameras send (stored as JPEG). */
const FRAME_FILE = /\.(jpe?g|png|webp)$/i;
/** The report lists this many implausible times at most; the count covers them all. */
const MAX_LISTED_TIMES = 1000;

/**
 * `timelapser import <folder> --camera NAME [--timelapse NAME]`: every frame
 * of the folder, in capture order (a plausible EXIF DateTimeOriginal, else the
 * modification time), through the same pipeline as live capture. Creates the
 * camera (a disabled folder camera) and the timelapse when missing; an empty
 * session starts at its first accepted frame, so day numbers and names follow
 * the real capture times and a refused file's date moves nothing.
 * Idempotent: a frame the camera already holds (same content) is skipped, also
 * when another import of the folder runs at the same time. Cancelling keeps
 * what was imported; running again resumes.
 */
export async function importFolder(
  ctx: CoreContext,
  parts: ImportParts,
  options: ImportFolderOptions,
): Promise<ImportFolderResult> {
  const folder = resolve(options.folder);
  const candidates = await scan(folder, options);
  if (candidates.length === 0)
    throw new ValidationError('The folder holds no .jpg, .png or .webp files to import', {
      folder,
    });
  // Find-or-create under the write lock: two imports of one folder (CLI and HTTP) get one camera and one session.
  const { camera, timelapse } = writeTransaction(ctx.db, () => {
    const camera = findOrCreateCamera(ctx, parts.cameras, options.cameraName, folder);
    const timelapse = findOrCreateTimelapse(
      ctx,
      parts.timelapses,
      camera,
      options.timelapseName ?? basename(folder),
      candidates[0]!.capturedAt,
    );
    return { camera, timelapse };
  });
  const { pipeline } = parts;
  const result: ImportFolderResult = {
    imported: 0,
    flagged: 0,
    converted: 0,
    skipped_duplicates: 0,
    rejected: [],
    timed_by_file: 0,
    implausible_times: [],
    camera_id: camera.id,
    timelapse_id: timelapse.id,
  };
  for (const candidate of candidates) noteTime(result, candidate);
  try {
    for (let i = 0; i < candidates.length; i++) {
      options.signal?.throwIfAborted();
      const rejection = await ingestOne(
        ctx,
        pipeline,
        camera.id,
        timelapse.id,
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
  timelapseId: number,
  candidate: Candidate,
  result: ImportFolderResult,
): Promise<RejectedFile | undefined> {
  const camera = ctx.ops.cameras.getById(cameraId)!;
  const timelapse = startsAtFirstAccepted(ctx, timelapseId, candidate.capturedAt);
  const refuse = (reason: RejectedFile['reason'], message: string, byteSize: number | null) => {
    logRefusal(ctx, camera, { source: candidate.name, reason, message, byteSize });
    return { file: candidate.name, reason, message };
  };
  if (candidate.capturedAt < timelapse.started_at) {
    return refuse(
      'before_timelapse_start',
      `Captured ${new Date(candidate.capturedAt).toISOString()}, before the session began`,
      null,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFrameFile(candidate.path); // a file over the frame byte cap is never read in
  } catch (error) {
    if (error instanceof InvalidImageError) {
      const size = error.details.size;
      return refuse(error.reason, error.message, typeof size === 'number' ? size : null);
    }
    const code = (error as { details?: { code?: string } }).details?.code ?? 'error';
    return refuse('unreadable', `The file could not be read (${code})`, null);
  }
  const outcome = await pipeline.ingest({
    camera,
    timelapse,
    bytes,
    capturedAt: candidate.capturedAt,
    source: candidate.name,
    expectDuplicates: true,
  });
  if (outcome.kind === 'rejected')
    return { file: candidate.name, reason: outcome.reason, message: outcome.message };
  if (outcome.kind === 'duplicate') result.skipped_duplicates++;
  else {
    result.imported++;
    if (outcome.flagged) result.flagged++;
    if (outcome.converted_from) result.converted++;
  }
  return undefined;
}

/**
 * The session as it is now; while it holds no frame, it starts at this one
 * (the earliest not yet refused, as candidates come oldest first).
 */
function startsAtFirstAccepted(
  ctx: CoreContext,
  timelapseId: number,
  capturedAt: number,
): TimelapseRow {
  const timelapse = ctx.ops.timelapses.getById(timelapseId)!;
  if (timelapse.image_count > 0 || timelapse.started_at === capturedAt) return timelapse;
  ctx.ops.timelapses.setStartedAt(timelapseId, capturedAt);
  return { ...timelapse, started_at: capturedAt };
}

/** Counts a file timed by its modification time, and lists it when its EXIF time was not believed. */
function noteTime(result: ImportFolderResult, { name, time }: Candidate): void {
  if (time.from !== 'file') return;
  result.timed_by_file++;
  if (time.implausibleExif && result.implausible_times.length < MAX_LISTED_TIMES) {
    result.implausible_times.push({
      file: name,
      exif_time: new Date(time.implausibleExif.at).toISOString(),
      problem: time.implausibleExif.problem,
      used_time: new Date(time.at).toISOString(),
    });
  }
}

/** The folder's frames with their capture times, oldest first (ties by name). */
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
      const time = await captureTimeOf(path, mtimeMs);
      return { name, path, capturedAt: time.at, time };
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
 * none, else stopped. While empty it starts at its first accepted frame (see
 * startsAtFirstAccepted); the oldest file's time only names a new one.
 */
function findOrCreateTimelapse(
  ctx: CoreContext,
  timelapses: TimelapseService,
  camera: CameraRow,
  name: string,
  oldestFileAt: number,
): TimelapseRow {
  const existing = ctx.ops.timelapses.getByName(camera.id, name);
  if (existing) return existing;
  const status = ctx.ops.timelapses.getActiveForCamera(camera.id) ? 'stopped' : 'active';
  return timelapses.create(camera.id, name, oldestFileAt, status);
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
