import { availableParallelism } from 'node:os';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import { Piscina } from 'piscina';
import { ValidationError } from '../errors';
import { moveIntoPlace, tempPathFor } from '../files/file-operations';
import { defaultLogger } from '../logging/logger';
import type { Logger } from '../logging/logger';
import type { FrameVerdict, ValidateOptions } from './frame-validator';
import { ImageError, ImageProcessingError } from './image-errors';
import { DEFAULT_LIMIT_INPUT_PIXELS } from './dimensions';
import type { RenderJob, RenderOutcome } from './render-variants';
import { frameBalancer } from './frame-balancer';
import { TaskGate } from './task-gate';
import {
  fromWire,
  type TaskMessage,
  type TaskReply,
  type TaskValue,
  type WorkerTestHooks,
} from './task-protocol';
import { workerEntry } from '../worker-entry';

export interface GenerateRequest {
  /** Absolute, already contained by DataTree.resolve. */
  sourcePath: string;
  /** Absolute final path. */
  thumbnailPath: string;
  /** null: thumbnail only (small_generation_mode none, or not this frame). */
  smallPath: string | null;
  thumbnailQuality: number;
  smallQuality: number;
  /** DataTree.tempDirectory: temps go here, then are renamed (same file system). */
  tempDirectory: string;
}

export interface VariantResult {
  path: string;
  size: number;
  width: number;
  height: number;
}

export interface GenerateResult {
  thumbnail: VariantResult;
  small: VariantResult | null;
  source: { width: number; height: number; format: string; size: number };
  timings: { total_ms: number; decode_ms?: number; encode_ms?: number };
}

export interface ThumbnailEngineOptions {
  /** Workers running sharp; 0 or absent: one per CPU core (setting thumbnail_pool_size). */
  poolSize?: number;
  /** A task running longer than this (from the moment a worker takes it) kills its worker. */
  taskTimeoutMs?: number;
  /** Decompression-bomb limit in pixels (default 100 megapixels). */
  limitInputPixels?: number;
  /** Tests only: makes workers die or hang on chosen sources. */
  testHooks?: WorkerTestHooks;
  /** Where a worker dying between tasks is logged (default: defaultLogger()). */
  log?: Logger;
}

export interface EngineStats {
  pool_size: number;
  /** Tasks the engine runs at once (pool_size × FRAMES_PER_WORKER): how many jobs a caller should keep in flight. */
  capacity: number;
  busy_workers: number;
  running_tasks: number;
  queued_tasks: number;
  completed_tasks: number;
}

/**
 * Frames each worker has in hand at once. With one, a core idles while its
 * frame is read, written and handed between threads; a second frame's
 * decode fills those gaps (2 cores: 2 frames in flight kept 1.6 cores busy,
 * 4 kept 1.9). Memory stays low: the extra frames share the worker's isolate.
 */
const FRAMES_PER_WORKER = 2;
const DEFAULT_TASK_TIMEOUT_MS = 60_000;
/** Workers start on first use (opening a core costs nothing) and leave after this long idle. */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * Thumbnails and smalls from camera frames, made by sharp in a worker_threads
 * pool (piscina): the main thread never decodes an image. A worker that
 * crashes or hangs is replaced and the frames it held fail with a transient
 * ImageProcessingError; bad inputs fail with a permanent InvalidImageError.
 */
export class ThumbnailEngine {
  readonly #pool: Piscina<TaskMessage, TaskReply>;
  readonly #gate: TaskGate;
  readonly #poolSize: number;
  readonly #capacity: number;
  readonly #taskTimeoutMs: number;
  readonly #limitInputPixels: number;
  #completed = 0;
  #closing: Promise<void> | null = null;

  constructor(options: ThumbnailEngineOptions = {}) {
    assertOptions(options);
    this.#poolSize = options.poolSize || Math.max(1, availableParallelism());
    this.#taskTimeoutMs = options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
    this.#limitInputPixels = options.limitInputPixels ?? DEFAULT_LIMIT_INPUT_PIXELS;
    this.#capacity = this.#poolSize * FRAMES_PER_WORKER;
    this.#gate = new TaskGate(this.#capacity);
    this.#pool = new Piscina({
      filename: workerEntry('thumbnail-task', import.meta.url),
      minThreads: 0,
      maxThreads: this.#poolSize,
      concurrentTasksPerWorker: FRAMES_PER_WORKER,
      loadBalancer: frameBalancer(this.#poolSize, FRAMES_PER_WORKER),
      idleTimeout: IDLE_TIMEOUT_MS,
      workerData: { testHooks: options.testHooks },
    });
    // Failures during a task reach that task's caller; this is a worker dying between tasks (piscina replaces it).
    const log = options.log ?? defaultLogger();
    this.#pool.on('error', (error: unknown) =>
      log.warn({ err: error }, 'a sharp worker failed between tasks'),
    );
  }

  get stats(): EngineStats {
    const running = this.#gate.active;
    return {
      pool_size: this.#poolSize,
      capacity: this.#capacity,
      // piscina hands a task to an idle worker before doubling up on a busy one.
      busy_workers: Math.min(this.#poolSize, running),
      running_tasks: running,
      queued_tasks: this.#gate.waiting,
      completed_tasks: this.#completed,
    };
  }

  /** Makes the thumbnail (and the small, unless smallPath is null) from one decode of the frame. */
  async generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    assertRequest(request);
    const job: RenderJob = {
      sourcePath: request.sourcePath,
      thumbnail: {
        tempPath: tempPathFor(request.tempDirectory, request.thumbnailPath),
        quality: request.thumbnailQuality,
      },
      small: request.smallPath
        ? {
            tempPath: tempPathFor(request.tempDirectory, request.smallPath),
            quality: request.smallQuality,
          }
        : null,
      limitInputPixels: this.#limitInputPixels,
    };
    try {
      const outcome = await this.#run({ kind: 'generate', job }, signal);
      if (job.small && request.smallPath) await publish(job.small.tempPath, request.smallPath);
      await publish(job.thumbnail.tempPath, request.thumbnailPath);
      return toResult(request, outcome);
    } catch (error) {
      await Promise.all(
        [job.thumbnail, job.small].map(
          (variant) => variant && rm(variant.tempPath, { force: true }),
        ),
      );
      throw error;
    }
  }

  /** The corruption check (see validateFrame) run in the pool, on a path or on bytes. */
  async validate(
    input: string | Uint8Array,
    options: ValidateOptions = {},
    signal?: AbortSignal,
  ): Promise<FrameVerdict> {
    const withLimit = { limitInputPixels: this.#limitInputPixels, ...options };
    if (typeof input === 'string')
      return this.#run({ kind: 'validate', input, options: withLimit }, signal);
    // An exact-size copy is moved, not cloned: one copy, however large the caller's backing buffer.
    const bytes = new Uint8Array(input);
    return this.#run({ kind: 'validate', input: bytes, options: withLimit }, signal, [
      bytes.buffer,
    ]);
  }

  /** A PNG or WebP frame as a JPEG of this quality (1–100), made in the pool. */
  async convertToJpeg(input: Uint8Array, quality: number, signal?: AbortSignal): Promise<Buffer> {
    if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
      throw new ValidationError('JPEG quality must be an integer from 1 to 100', { quality });
    }
    const bytes = new Uint8Array(input);
    const jpeg = await this.#run(
      { kind: 'convert', input: bytes, quality, limitInputPixels: this.#limitInputPixels },
      signal,
      [bytes.buffer],
    );
    return Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  }

  /** Finishes every task already accepted, then stops the workers. Later calls fail as engine_closed. */
  close(): Promise<void> {
    this.#closing ??= this.#gate.idle().then(() => this.#pool.close());
    return this.#closing;
  }

  async #run<M extends TaskMessage>(
    message: M,
    signal?: AbortSignal,
    transferList: ArrayBuffer[] = [],
  ): Promise<TaskValue<M>> {
    if (this.#closing)
      throw new ImageProcessingError('engine_closed', 'The thumbnail engine is shut down');
    await this.#gate.acquire(signal);
    const cancel = new AbortController();
    const onAbort = () => cancel.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => cancel.abort(new Error('timeout')), this.#taskTimeoutMs);
    try {
      if (signal?.aborted) throw signal.reason;
      const reply = await this.#pool.run(message, { signal: cancel.signal, transferList });
      if (!reply.ok) throw fromWire(reply.error);
      return reply.value as TaskValue<M>;
    } catch (error) {
      throw this.#failure(error, signal);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.#completed++;
      this.#gate.release();
    }
  }

  /** Caller's cancellation passes through as its reason; pool failures become transient errors. */
  #failure(error: unknown, signal?: AbortSignal): unknown {
    if (signal?.aborted) return signal.reason;
    if (error instanceof ImageError) return error;
    if (error instanceof Error && error.name === 'AbortError') {
      return new ImageProcessingError(
        'worker_timeout',
        `The image worker took longer than ${this.#taskTimeoutMs} ms; it was stopped and replaced`,
        { timeout_ms: this.#taskTimeoutMs },
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new ImageProcessingError(
      'worker_crashed',
      `The image worker died (${reason}); it was replaced`,
    );
  }
}

function assertOptions({
  poolSize,
  taskTimeoutMs,
  limitInputPixels,
}: ThumbnailEngineOptions): void {
  const bad = (value: number | undefined, min: number) =>
    value !== undefined && !(Number.isInteger(value) && value >= min);
  if (bad(poolSize, 0) || bad(taskTimeoutMs, 1) || bad(limitInputPixels, 1)) {
    throw new ValidationError(
      'Thumbnail engine options must be positive integers (poolSize 0: one per core)',
      {
        poolSize,
        taskTimeoutMs,
        limitInputPixels,
      },
    );
  }
}

function assertRequest(request: GenerateRequest): void {
  const paths = [
    request.sourcePath,
    request.thumbnailPath,
    request.tempDirectory,
    request.smallPath ?? '/',
  ];
  if (!paths.every((path) => isAbsolute(path))) {
    throw new ValidationError('Thumbnail paths must be absolute', { request });
  }
  for (const quality of [request.thumbnailQuality, request.smallQuality]) {
    if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
      throw new ValidationError('JPEG quality must be an integer from 1 to 100', { quality });
    }
  }
}

/** Renames a finished temp file to its real name, creating the folder when needed. */
async function publish(tempPath: string, finalPath: string): Promise<void> {
  try {
    await mkdir(dirname(finalPath), { recursive: true });
    await moveIntoPlace(tempPath, finalPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImageProcessingError(
      'write_failed',
      `Moving the variant into place failed: ${(error as Error).message}`,
      {
        code,
        path: finalPath,
      },
    );
  }
}

function toResult(request: GenerateRequest, outcome: RenderOutcome): GenerateResult {
  return {
    thumbnail: { path: request.thumbnailPath, ...outcome.thumbnail },
    small:
      outcome.small && request.smallPath ? { path: request.smallPath, ...outcome.small } : null,
    source: outcome.source,
    timings: outcome.timings,
  };
}
