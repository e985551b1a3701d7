import { z } from 'zod';
import type { CameraTestResult, ImportFolderResult } from './capture';
import type {
  BatchImagesResult,
  CameraDto,
  CountResult,
  DeletedResult,
  FrameRejectionPage,
  HealthResult,
  ImageDto,
  ImagePage,
  TimelapseDto,
} from './dto';
import type { ApiResponse } from './envelope';
import { imageVariantSchema } from './images';
import type {
  CleanupResult,
  DeleteAllResult,
  GenerateThumbnailsResult,
  MissingOriginalsResult,
  RegenerationStatus,
  RepairResult,
  StorageBreakdown,
  SystemVerification,
  ThumbnailStatistics,
  TimelapseThumbnailStats,
  TimelapseVerification,
} from './maintenance';
import type {
  FailedJobPage,
  JobStatistics,
  PerformanceIssue,
  PerformanceStatistics,
  QueueState,
  Recommendation,
  RetryResult,
} from './queue';
import {
  cameraFields,
  cameraRef,
  cameraSourceFields,
  countSchema,
  flagSchema,
  idListSchema,
  idSchema,
  imageRef,
  none,
  timelapseRef,
  videoRef,
} from './schemas';
import { settingsPatchSchema, type Settings } from './settings';
import type { StorageStatus } from './storage';
import {
  renderVideoArgs,
  timelapseFramesArgs,
  type TimelapseFrames,
  type VideoDto,
} from './videos';

/**
 * The operation table: every operation's name, argument schema, result type
 * and HTTP route. The core implements each once (src/main/api); IPC, HTTP and
 * the CLI are transports over that one implementation.
 */

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface HttpRoute {
  method: HttpMethod;
  /** Fastify-style path; `:name` segments are filled from the arguments of that name. */
  path: string;
  /**
   * Rate-limited per client (429): `maintenance` for whole-library operations,
   * `bulk` for bulk reads a UI makes while scrolling (a larger budget).
   */
  rateLimit?: 'maintenance' | 'bulk';
}

export interface OperationSpec<A extends z.ZodType = z.ZodType, R = unknown> {
  args: A;
  http: HttpRoute;
  /** Changes state (POST or DELETE only). */
  mutates: boolean;
  /** Phantom: the result type. Never set at run time. */
  readonly result?: R;
}

function op<R>() {
  return <A extends z.ZodType>(args: A, http: HttpRoute): OperationSpec<A, R> => ({
    args,
    http,
    mutates: http.method !== 'GET',
  });
}

export const operations = {
  // -- system
  'system.health': op<HealthResult>()(none, { method: 'GET', path: '/api/health' }),

  // -- cameras
  'cameras.list': op<CameraDto[]>()(none, { method: 'GET', path: '/api/cameras' }),
  'cameras.get': op<CameraDto>()(cameraRef, { method: 'GET', path: '/api/cameras/:camera_id' }),
  'cameras.create': op<CameraDto>()(z.object(cameraFields).strict(), {
    method: 'POST',
    path: '/api/cameras',
  }),
  'cameras.update': op<CameraDto>()(
    z.object({ camera_id: idSchema, ...z.object(cameraFields).partial().shape }).strict(),
    { method: 'POST', path: '/api/cameras/:camera_id' },
  ),
  'cameras.delete': op<DeletedResult>()(cameraRef, {
    method: 'DELETE',
    path: '/api/cameras/:camera_id',
  }),
  'cameras.latestImage': op<ImageDto>()(cameraRef, {
    method: 'GET',
    path: '/api/cameras/:camera_id/latest-image',
  }),
  // -- camera setup (issue 17)
  /** One frame with the settings given, nothing saved; a folder is only looked at. POST: it reaches out. */
  'cameras.test': op<CameraTestResult>()(z.object(cameraSourceFields).strict(), {
    method: 'POST',
    path: '/api/cameras/test',
  }),
  /** The wall's order: these cameras first, in this order. */
  'cameras.reorder': op<CameraDto[]>()(
    z.object({ camera_ids: z.array(idSchema).min(1).max(1000) }).strict(),
    { method: 'POST', path: '/api/cameras/order' },
  ),
  // Every refusal is visible: the camera's rejection log, newest first.
  'cameras.rejections': op<FrameRejectionPage>()(
    z
      .object({
        camera_id: idSchema,
        before_id: idSchema.optional(),
        limit: countSchema.pipe(z.number().min(1).max(500)).optional(),
      })
      .strict(),
    { method: 'GET', path: '/api/cameras/:camera_id/rejections' },
  ),

  // -- timelapses
  'timelapses.list': op<TimelapseDto[]>()(z.object({ camera_id: idSchema.optional() }).strict(), {
    method: 'GET',
    path: '/api/timelapses',
  }),
  'timelapses.get': op<TimelapseDto>()(timelapseRef, {
    method: 'GET',
    path: '/api/timelapses/:timelapse_id',
  }),
  'timelapses.start': op<TimelapseDto>()(
    z.object({ camera_id: idSchema, name: z.string().trim().min(1).max(200).optional() }).strict(),
    { method: 'POST', path: '/api/cameras/:camera_id/timelapses/start' },
  ),
  'timelapses.stop': op<TimelapseDto>()(timelapseRef, {
    method: 'POST',
    path: '/api/timelapses/:timelapse_id/stop',
  }),
  'timelapses.complete': op<TimelapseDto>()(timelapseRef, {
    method: 'POST',
    path: '/api/timelapses/:timelapse_id/complete',
  }),
  'timelapses.update': op<TimelapseDto>()(
    z.object({ timelapse_id: idSchema, name: z.string().trim().min(1).max(200) }).strict(),
    { method: 'POST', path: '/api/timelapses/:timelapse_id' },
  ),
  'timelapses.delete': op<DeletedResult>()(timelapseRef, {
    method: 'DELETE',
    path: '/api/timelapses/:timelapse_id',
  }),
  'timelapses.images': op<ImagePage>()(
    z
      .object({
        timelapse_id: idSchema,
        after_id: countSchema.optional(),
        limit: countSchema.pipe(z.number().min(1).max(1000)).optional(),
        /** Only the frames kept with a flag (they look wrong). */
        flagged: flagSchema.optional(),
      })
      .strict(),
    { method: 'GET', path: '/api/timelapses/:timelapse_id/images' },
  ),
  'timelapses.generateThumbnails': op<GenerateThumbnailsResult>()(
    z
      .object({
        timelapse_id: idSchema,
        force_regenerate: flagSchema.optional(),
        include_smalls: flagSchema.optional(),
      })
      .strict(),
    {
      method: 'POST',
      path: '/api/timelapses/:timelapse_id/thumbnails/generate',
      rateLimit: 'maintenance',
    },
  ),
  'timelapses.verifyThumbnails': op<TimelapseVerification>()(timelapseRef, {
    method: 'POST',
    path: '/api/timelapses/:timelapse_id/thumbnails/verify',
    rateLimit: 'maintenance',
  }),
  'timelapses.thumbnailStats': op<TimelapseThumbnailStats>()(timelapseRef, {
    method: 'GET',
    path: '/api/timelapses/:timelapse_id/thumbnails/stats',
  }),

  'capture.importFolder': op<ImportFolderResult>()(
    z
      .object({
        folder: z.string().min(1).max(4096),
        camera: z.string().trim().min(1).max(100),
        timelapse: z.string().trim().min(1).max(200).optional(),
      })
      .strict(),
    { method: 'POST', path: '/api/import', rateLimit: 'maintenance' },
  ),

  // -- watching and exporting: the player's frame index, MP4 render jobs and their files
  'timelapses.frames': op<TimelapseFrames>()(timelapseFramesArgs, {
    method: 'GET',
    path: '/api/timelapses/:timelapse_id/frames',
    rateLimit: 'bulk',
  }),
  'videos.list': op<VideoDto[]>()(timelapseRef, {
    method: 'GET',
    path: '/api/timelapses/:timelapse_id/videos',
  }),
  'videos.render': op<VideoDto>()(renderVideoArgs, {
    method: 'POST',
    path: '/api/timelapses/:timelapse_id/videos',
    rateLimit: 'maintenance',
  }),
  'videos.get': op<VideoDto>()(videoRef, { method: 'GET', path: '/api/videos/:video_id' }),
  'videos.cancel': op<VideoDto>()(videoRef, {
    method: 'POST',
    path: '/api/videos/:video_id/cancel',
  }),
  'videos.delete': op<DeletedResult>()(videoRef, {
    method: 'DELETE',
    path: '/api/videos/:video_id',
  }),

  // -- images
  'images.get': op<ImageDto>()(imageRef, { method: 'GET', path: '/api/images/:image_id' }),
  'images.batch': op<BatchImagesResult>()(
    z.object({ ids: idListSchema, size: imageVariantSchema.default('thumbnail') }).strict(),
    { method: 'GET', path: '/api/images/batch', rateLimit: 'bulk' },
  ),
  'images.delete': op<DeletedResult>()(imageRef, {
    method: 'DELETE',
    path: '/api/images/:image_id',
  }),

  // -- system-wide thumbnail operations (spec paths)
  'thumbnails.stats': op<ThumbnailStatistics>()(none, {
    method: 'GET',
    path: '/api/thumbnails/stats',
  }),
  'thumbnails.regenerateAll': op<RegenerationStatus>()(
    z
      .object({
        force_regenerate: flagSchema.optional(),
        include_smalls: flagSchema.optional(),
        limit: countSchema.optional(),
      })
      .strict(),
    { method: 'POST', path: '/api/thumbnails/regenerate-all', rateLimit: 'maintenance' },
  ),
  'thumbnails.regenerationStatus': op<RegenerationStatus>()(none, {
    method: 'GET',
    path: '/api/thumbnails/regenerate-all/status',
  }),
  'thumbnails.cancelRegeneration': op<RegenerationStatus>()(none, {
    method: 'POST',
    path: '/api/thumbnails/regenerate-all/cancel',
  }),
  'thumbnails.verifyAll': op<SystemVerification>()(none, {
    method: 'POST',
    path: '/api/thumbnails/verify',
    rateLimit: 'maintenance',
  }),
  'thumbnails.repair': op<RepairResult>()(
    z.object({ dry_run: flagSchema.optional(), force: flagSchema.optional() }).strict(),
    { method: 'POST', path: '/api/thumbnails/repair', rateLimit: 'maintenance' },
  ),
  'thumbnails.cleanup': op<CleanupResult>()(
    z.object({ dry_run: flagSchema.optional(), force: flagSchema.optional() }).strict(),
    { method: 'DELETE', path: '/api/thumbnails/cleanup', rateLimit: 'maintenance' },
  ),
  'thumbnails.deleteAll': op<DeleteAllResult>()(
    z.object({ confirm: flagSchema.optional() }).strict(),
    {
      method: 'DELETE',
      path: '/api/thumbnails/delete-all',
      rateLimit: 'maintenance',
    },
  ),

  // -- the library census: orphans and disk use measured from the tree (issue 19)
  'thumbnails.scan': op<ThumbnailStatistics>()(none, {
    method: 'POST',
    path: '/api/thumbnails/scan',
    rateLimit: 'maintenance',
  }),
  'thumbnails.storage': op<StorageBreakdown>()(none, {
    method: 'GET',
    path: '/api/thumbnails/storage',
  }),

  // -- faults: the library's disk, dead records
  'system.storage': op<StorageStatus>()(none, { method: 'GET', path: '/api/system/storage' }),
  'frames.removeMissing': op<MissingOriginalsResult>()(
    z.object({ dry_run: flagSchema.optional(), force: flagSchema.optional() }).strict(),
    { method: 'DELETE', path: '/api/frames/missing', rateLimit: 'maintenance' },
  ),

  // -- settings
  'settings.get': op<Settings>()(none, { method: 'GET', path: '/api/settings' }),
  'settings.update': op<Settings>()(settingsPatchSchema, { method: 'POST', path: '/api/settings' }),

  // -- job queue
  'jobs.stats': op<JobStatistics>()(none, { method: 'GET', path: '/api/jobs/stats' }),
  'jobs.cancelPending': op<CountResult>()(none, {
    method: 'POST',
    path: '/api/jobs/cancel-pending',
  }),
  'jobs.cleanup': op<CountResult>()(
    z.object({ older_than_hours: countSchema.pipe(z.number().min(1)).optional() }).strict(),
    { method: 'POST', path: '/api/jobs/cleanup' },
  ),

  // -- the queue's pause and its failed jobs (issue 19)
  'jobs.pause': op<QueueState>()(none, { method: 'POST', path: '/api/jobs/pause' }),
  'jobs.resume': op<QueueState>()(none, { method: 'POST', path: '/api/jobs/resume' }),
  'jobs.failed': op<FailedJobPage>()(
    z
      .object({
        limit: countSchema.pipe(z.number().min(1).max(500)).optional(),
        before_id: idSchema.optional(),
        /** Only this regeneration session's. */
        session_id: idSchema.optional(),
      })
      .strict(),
    { method: 'GET', path: '/api/jobs/failed' },
  ),
  'jobs.retryFailed': op<RetryResult>()(z.object({ job_ids: idListSchema.optional() }).strict(), {
    method: 'POST',
    path: '/api/jobs/failed/retry',
  }),
  'jobs.clearFailed': op<CountResult>()(z.object({ job_ids: idListSchema.optional() }).strict(), {
    method: 'POST',
    path: '/api/jobs/failed/clear',
  }),

  // -- performance
  'performance.stats': op<PerformanceStatistics>()(none, {
    method: 'GET',
    path: '/api/performance/stats',
  }),
  'performance.issues': op<PerformanceIssue[]>()(none, {
    method: 'GET',
    path: '/api/performance/issues',
  }),
  'performance.recommendations': op<Recommendation[]>()(none, {
    method: 'GET',
    path: '/api/performance/recommendations',
  }),
} satisfies Record<string, OperationSpec>;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export const OPERATION_NAMES = Object.keys(operations) as OperationName[];

/** What a caller passes (query-string spellings allowed). */
export type OperationArgs<N extends OperationName> = z.input<Operations[N]['args']>;
/** What a handler receives after validation. */
export type ParsedArgs<N extends OperationName> = z.output<Operations[N]['args']>;
export type OperationResult<N extends OperationName> = NonNullable<Operations[N]['result']>;

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(operations, name);
}

/** The argument names an operation takes (a GET ignores query keys outside them, e.g. cache busters). */
export function argumentNames(name: OperationName): readonly string[] {
  const schema: z.ZodType = operations[name].args;
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** A typed call of any operation, as IPC (window.timelapser.invoke) and an HTTP client both offer it. */
export type InvokeFn = <N extends OperationName>(
  name: N,
  args?: OperationArgs<N>,
) => Promise<ApiResponse<OperationResult<N>>>;
