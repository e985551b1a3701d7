import type { EventBus } from '../events/event-bus';
import type { ThumbnailWorker } from '../queue/thumbnail-worker';
import type { TokenStore } from '../settings/token-store';
import type { VideoService } from '../video/video-service';

export type { TokenStore } from '../settings/token-store';

/** Core events as an adapter sees them: it listens, it never emits. */
export type EventFeed = Pick<EventBus, 'subscribe' | 'on'>;

/** The thumbnail worker, run in the foreground by the CLI (`jobs run`, `regenerate --wait`). */
export type QueueRunner = Pick<ThumbnailWorker, 'start' | 'stop' | 'runUntilEmpty'>;

/** The CLI's foreground render (`render --wait`) and where a video's file is (it prints the path). */
export type VideoRunner = Pick<VideoService, 'renderHere' | 'filePath'>;

/**
 * What an adapter (HTTP, IPC, CLI, menu) may use besides the API's
 * operations: the library's events and workers. The core satisfies it;
 * adapters never see the database or the services behind it.
 */
export interface Host {
  /** The library was created by this open. */
  readonly firstStart: boolean;
  readonly events: EventFeed;
  readonly worker: QueueRunner;
  readonly videos: VideoRunner;
  readonly tokens: TokenStore;
  ensureDemoCameras(): void;
  /** Resolves once the regeneration this process started has queued all of its jobs. */
  whenRegenerationQueued(): Promise<void>;
  start(): void;
  close(): Promise<void>;
}
