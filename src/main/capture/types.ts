import type { CameraRow, ImageRow } from '../database/types';

/**
 * The thumbnail engine's corruption verdict, declared structurally so capture
 * depends on its shape, not its module.
 */
export type FrameVerdict =
  | { ok: true; width: number; height: number; format: string }
  | { ok: false; reason: string; message: string };

/** The engine's Buffer check; it runs in the engine's worker pool, never on the main thread. */
export type ValidateFrame = (bytes: Buffer) => Promise<FrameVerdict>;

/** The queue's capture hook: queues a medium job (or not, per settings). Must not throw. */
export type AfterCapture = (image: ImageRow, camera: CameraRow) => void;

/** What capture needs from outside: the corruption check and the queue hook. */
export interface CaptureDependencies {
  validateFrame: ValidateFrame;
  afterCapture: AfterCapture;
}

/** A source asked for one frame at a time (demo, http, rtsp). */
export interface PollingSource {
  readonly kind: 'poll';
  grab(signal: AbortSignal): Promise<Buffer>;
}

/** A file a watch source found, complete, with its capture time. */
export interface IncomingFile {
  path: string;
  bytes: Buffer;
  capturedAt: number;
}

/**
 * What became of an incoming file: stored (safely written, so the source may
 * remove it), rejected (refused for good: set aside), or keep (try again later).
 */
export type FileDisposition = 'stored' | 'rejected' | 'keep';
export type FileHandler = (file: IncomingFile) => Promise<FileDisposition>;

/** A source that pushes frames as they arrive (folder). */
export interface WatchingSource {
  readonly kind: 'watch';
  /** Resolves once watching; rejects (typed) when the folder is unusable. */
  start(onFile: FileHandler, onError: (error: Error) => void): Promise<void>;
  stop(): Promise<void>;
}

export type FrameSource = PollingSource | WatchingSource;
