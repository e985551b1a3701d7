import { z } from 'zod';
import { settingsPatchSchema, type Settings } from './settings';
import type { ImageUrls } from './events';
import type { CameraCaptureStatus, ImportFolderResult } from './capture';
import type {
  CleanupResult,
  DeleteAllResult,
  GenerateThumbnailsResult,
  RegenerationStatus,
  RepairResult,
  SystemVerification,
  ThumbnailStatistics,
  TimelapseThumbnailStats,
  TimelapseVerification,
} from './maintenance';
import type {
  JobStatistics,
  PerformanceIssue,
  PerformanceStatistics,
  Recommendation,
} from './queue';

/**
 * The one API contract: every operation (name, argument schema, result type,
 * HTTP route) and every event. The core implements it once (src/main/api);
 * IPC, HTTP and the CLI are transports over that one implementation, and every
 * transport answers the spec's envelope: `{success:true, data}` or
 * `{success:false, error, status_code, details}`.
 *
 * Arguments are validated with these schemas at each boundary. Ids and flags
 * also accept their query-string spelling ("12", "true"), so one schema serves
 * a JSON body, a query string and an IPC call alike.
 */
export type { CoreEvent, CoreEventType, CoreEventOf, ImageUrls, JobPriority } from './events';
export type {
  CameraCaptureStatus,
  CaptureState,
  ImportFolderResult,
  RejectedFile,
} from './capture';
export type {
  JobStatistics,
  PerformanceIssue,
  PerformanceStatistics,
  Recommendation,
} from './queue';
export type {
  CleanupResult,
  DeleteAllResult,
  FileProblem,
  GenerateThumbnailsResult,
  RegenerationStatus,
  RepairResult,
  SystemVerification,
  ThumbnailStatistics,
  TimelapseThumbnailStats,
  TimelapseVerification,
} from './maintenance';

// ---------------------------------------------------------------- argument parts

/** A positive integer id, as a number or its decimal string. */
export const idSchema = z.union(
  [
    z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    z
      .string()
      .regex(/^[1-9]\d{0,14}$/, 'expected a positive integer id')
      .transform(Number),
  ],
  { error: 'expected a positive integer id' },
);

/** A boolean, or "true"/"false"/"1"/"0"/"yes"/"no" from a query string. */
export const flagSchema = z.union([z.boolean(), z.stringbool()], {
  error: 'expected true or false',
});

/** A non-negative integer, or its decimal string. */
const countSchema = z.union(
  [
    z.number().int().min(0),
    z
      .string()
      .regex(/^\d{1,9}$/, 'expected a non-negative integer')
      .transform(Number),
  ],
  { error: 'expected a non-negative integer' },
);

export const IMAGE_VARIANTS = ['thumbnail', 'small', 'full'] as const;
export type ImageVariant = (typeof IMAGE_VARIANTS)[number];
export const imageVariantSchema = z.enum(IMAGE_VARIANTS);

/** Most ids one batch request may name; more is 413 (Payload Too Large). */
export const MAX_BATCH_IDS = 200;

/** "1,2,3" or [1,2,3]; the 200-id limit is checked by the handler so it answers 413, not 400. */
export const idListSchema = z.union([
  z.array(idSchema),
  z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .pipe(z.array(idSchema.options[1])),
]);

const sourceTypeSchema = z.enum(['demo', 'http', 'rtsp', 'folder']);

const cameraFields = {
  name: z.string().trim().min(1).max(100),
  source_type: sourceTypeSchema,
  source_url: z.string().max(2048).nullable().optional(),
  source_options: z.record(z.string(), z.unknown()).optional(),
  capture_interval_s: z.number().int().min(1).max(86_400).optional(),
  generate_thumbnails: z.boolean().optional(),
  enabled: z.boolean().optional(),
};

const none = z.object({}).strict();
const cameraRef = z.object({ camera_id: idSchema }).strict();
const timelapseRef = z.object({ timelapse_id: idSchema }).strict();
const imageRef = z.object({ image_id: idSchema }).strict();

// ---------------------------------------------------------------- result shapes

/** A camera as the API shows it: booleans and ISO 8601 times. */
export interface CameraDto {
  id: number;
  name: string;
  source_type: 'demo' | 'http' | 'rtsp' | 'folder';
  source_url: string | null;
  source_options: Record<string, unknown>;
  capture_interval_s: number;
  generate_thumbnails: boolean;
  enabled: boolean;
  last_capture_at: string | null;
  last_error: string | null;
  rejected_frames: number;
  created_at: string;
  updated_at: string;
  active_timelapse_id: number | null;
  latest_image: ImageDto | null;
  /** What the capture worker is doing for this camera; null when capture is not running here. */
  capture: CameraCaptureStatus | null;
}

export interface TimelapseDto {
  id: number;
  camera_id: number;
  name: string;
  status: 'active' | 'stopped' | 'completed';
  started_at: string;
  completed_at: string | null;
  image_count: number;
  thumbnail_count: number;
  small_count: number;
  created_at: string;
}

/** An image's metadata with URLs for every variant (the spec's latest-image metadata). */
export interface ImageDto {
  id: number;
  camera_id: number;
  timelapse_id: number;
  captured_at: string;
  day_number: number;
  file_size: number;
  width: number | null;
  height: number | null;
  has_thumbnail: boolean;
  has_small: boolean;
  thumbnail_size: number | null;
  small_size: number | null;
  etag: string;
  urls: ImageUrls;
}

export interface ImagePage {
  images: ImageDto[];
  /** Pass as after_id for the next page; null at the end. */
  next_after_id: number | null;
}

/** One entry of a batch: the variant the cascade chose and, for thumbnail and small, the bytes. */
export interface BatchImage {
  image_id: number;
  captured_at: string;
  variant: ImageVariant | 'placeholder';
  etag: string;
  /** The single-image URL (follows the same fallback). */
  url: string;
  /** `data:image/jpeg;base64,…` when the variant served is a thumbnail or small, else null (load `url`). */
  data_uri: string | null;
}

export interface BatchImagesResult {
  size: ImageVariant;
  images: BatchImage[];
  missing_ids: number[];
}

export interface DeletedResult {
  deleted: true;
  id: number;
}

export interface CountResult {
  count: number;
}

export interface HealthResult {
  status: 'ok';
  version: string;
  uptime_seconds: number;
}

// ---------------------------------------------------------------- operations

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
  'thumbnails.repair': op<RepairResult>()(none, {
    method: 'POST',
    path: '/api/thumbnails/repair',
    rateLimit: 'maintenance',
  }),
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

// ---------------------------------------------------------------- the envelope

export interface ApiErrorBody {
  success: false;
  error: string;
  status_code: number;
  details: Record<string, unknown>;
}

export type ApiResponse<T> = { success: true; data: T } | ApiErrorBody;

// ---------------------------------------------------------------- HTTP helpers (browser and Node)

export interface HttpRequestPlan {
  method: HttpMethod;
  /** Path plus query string, relative to the server's origin. */
  url: string;
  /** JSON body for POST, else undefined. */
  body?: string;
}

/**
 * How to call an operation over HTTP: path parameters are filled from the
 * arguments, the rest go in the JSON body (POST) or the query string (GET, DELETE).
 */
export function httpRequestFor<N extends OperationName>(
  name: N,
  args?: OperationArgs<N>,
): HttpRequestPlan {
  const { method, path } = operations[name].http;
  const rest: Record<string, unknown> = { ...((args ?? {}) as Record<string, unknown>) };
  const filled = path.replace(/:([a-z_]+)/g, (_match, key: string) => {
    const value = rest[key];
    delete rest[key];
    return encodeURIComponent(String(value));
  });
  if (method === 'POST') return { method, url: filled, body: JSON.stringify(rest) };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    query.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const search = query.toString();
  return { method, url: search ? `${filled}?${search}` : filled };
}

// ---------------------------------------------------------------- image URLs

/** HTTP paths of an image's variants (each follows the cascading fallback). */
export function imageHttpUrls(imageId: number): ImageUrls {
  return {
    thumbnail: `/api/images/${imageId}/thumbnail`,
    small: `/api/images/${imageId}/small`,
    full: `/api/images/${imageId}/serve?size=full`,
  };
}

export const IMAGE_SCHEME = 'timelapser';

/** The same image through the Electron protocol: timelapser://images/{id}/{variant}. */
export function imageSchemeUrl(imageId: number, variant: ImageVariant): string {
  return `${IMAGE_SCHEME}://images/${imageId}/${variant}`;
}

/** A camera's latest frame through the Electron protocol. */
export function cameraLatestSchemeUrl(cameraId: number, variant: ImageVariant): string {
  return `${IMAGE_SCHEME}://cameras/${cameraId}/latest-image/${variant}`;
}

/** The spec's ETag: `"image-{id}-{captured_at epoch seconds}"`. */
export function imageEtag(imageId: number, capturedAtMs: number): string {
  return `"image-${imageId}-${Math.floor(capturedAtMs / 1000)}"`;
}

/** The SSE stream of CoreEvent JSON objects (one `data:` line each). */
export const EVENTS_PATH = '/api/events';

/** A typed call of any operation, as IPC (window.timelapser.invoke) and an HTTP client both offer it. */
export type InvokeFn = <N extends OperationName>(
  name: N,
  args?: OperationArgs<N>,
) => Promise<ApiResponse<OperationResult<N>>>;
