import type { CameraRow, TimelapseRow } from '../database/types';

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

/** A grabbed frame, for the camera's active timelapse. */
export interface GrabbedFrame {
  camera: CameraRow;
  timelapse: TimelapseRow;
  bytes: Buffer;
  capturedAt: number;
  /** Where it came from, for the rejection log: a watch folder's file name (default: the camera's URL). */
  source?: string;
}

/** What became of a frame handed on; a refusal says why (the tile shows it). */
export type FrameOutcome = { kind: 'stored' | 'duplicate' } | { kind: 'rejected'; reason: string; message: string };

/**
 * Where capture hands its frames: the ingest pipeline, wired by the
 * composition root. Declared here, by its user, so capture does not depend on ingest.
 */
export type FrameSink = (frame: GrabbedFrame) => Promise<FrameOutcome>;
