import { decodeFrames, MAX_BATCH_IDS, type IndexedFrame } from '../../../shared/contract';
import type { Api } from '../api/client';
import { ApiError, errorMessage } from '../api/transport';

/** What the grid, the player and the scrubber know of every frame (a badge says why one is flagged). */
export type FrameEntry = IndexedFrame;

/** Where a day of the timelapse begins in capture order. */
export interface DayStart {
  day: number;
  /** Position of the day's first frame. */
  position: number;
  /** Frames in the day. */
  count: number;
  /** The first frame's capture time (its date labels the day). */
  captured_at: number;
}

/** Thumbnails kept in memory (a data URI is ~13 kB): enough for many screens of scrolling. */
const THUMBNAIL_CACHE_LIMIT = 2000;
/** The batch route is rate-limited per client: after a 429, wait this long and ask again. */
const RATE_LIMIT_RETRY_MS = 3000;

/**
 * A timelapse's frames for the grid, the player and the scrubber, 100,000 of
 * them: the whole index (id, time, day of every frame, in capture order)
 * comes in one compact answer, then only frames added since; thumbnails come
 * through the batch route (≤ 200 per request) for the rows on screen and stay
 * in a bounded cache. React reads it through `subscribe`/`version`.
 */
export class FrameIndex {
  readonly frames: FrameEntry[] = [];
  /** The days in capture order, with where each starts. */
  days: DayStart[] = [];
  /** The first answer is in. */
  loaded = false;
  /** Frames kept with a flag, among those known. */
  flaggedCount = 0;
  error: string | null = null;
  private loading: Promise<void> | null = null;
  private stale = false;
  private readonly thumbnails = new Map<number, string>();
  private readonly requested = new Set<number>();
  private readonly listeners = new Set<() => void>();
  private revision = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: Api,
    readonly timelapseId: number,
    /** Only the frames kept with a flag (the grid's "flagged only" filter). */
    readonly flaggedOnly = false,
  ) {}

  get version(): number {
    return this.revision;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  thumbnail(id: number): string | undefined {
    return this.thumbnails.get(id);
  }

  /** The day a position is in (binary search over the day starts). */
  dayAt(position: number): DayStart | undefined {
    let low = 0;
    let high = this.days.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.days[middle]!.position <= position) low = middle;
      else high = middle - 1;
    }
    return this.days[low];
  }

  /**
   * Brings the index up to date: all of it the first time, then the frames
   * after the last one known (all again if the timelapse changed under it).
   * A call while a load runs makes that load ask once more at its end.
   */
  load(): Promise<void> {
    if (this.loading) {
      this.stale = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.stale = false;
        await this.fetchFrames();
      } while (this.stale && !this.error);
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** Fetches the thumbnails of these frames that are not cached or on their way. */
  async loadThumbnails(ids: readonly number[]): Promise<void> {
    const wanted = ids.filter((id) => !this.thumbnails.has(id) && !this.requested.has(id));
    for (let start = 0; start < wanted.length; start += MAX_BATCH_IDS) {
      const chunk = wanted.slice(start, start + MAX_BATCH_IDS);
      chunk.forEach((id) => this.requested.add(id));
      try {
        const batch = await this.api.call('images.batch', { ids: chunk, size: 'thumbnail' });
        for (const image of batch.images) {
          this.remember(
            image.image_id,
            image.data_uri ?? this.api.imageUrl({ kind: 'image', id: image.image_id }, 'thumbnail'),
          );
        }
        // Ids the server no longer knows fall back to the single-image URL (its placeholder).
        for (const id of batch.missing_ids)
          this.remember(id, this.api.imageUrl({ kind: 'image', id }, 'thumbnail'));
      } catch (error) {
        // 429: this client's batches, 503: the server's, are all in flight; both pass shortly.
        if (error instanceof ApiError && (error.statusCode === 429 || error.statusCode === 503))
          this.retryLater(ids);
        else this.error = errorMessage(error);
      } finally {
        chunk.forEach((id) => this.requested.delete(id));
        this.changed();
      }
    }
  }

  /** Stops pending retries (the page went away). */
  dispose(): void {
    clearTimeout(this.retryTimer);
    this.listeners.clear();
  }

  private async fetchFrames(): Promise<void> {
    const last = this.frames.at(-1);
    try {
      const answer = await this.api.call('timelapses.frames', {
        timelapse_id: this.timelapseId,
        ...(last && { offset: this.frames.length, last_id: last.id }),
        ...(this.flaggedOnly && { flagged: true }),
      });
      this.frames.length = answer.offset;
      // One at a time: spreading 100,000 arguments would overflow the stack.
      for (const frame of decodeFrames(answer)) this.frames.push(frame);
      this.days = dayStarts(this.frames);
      this.flaggedCount = this.frames.reduce((n, frame) => n + (frame.flag_reason ? 1 : 0), 0);
      this.loaded = true;
      this.error = null;
    } catch (error) {
      this.error = errorMessage(error);
    }
    this.changed();
  }

  private retryLater(ids: readonly number[]) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.loadThumbnails(ids), RATE_LIMIT_RETRY_MS);
  }

  private remember(id: number, source: string) {
    this.thumbnails.delete(id);
    this.thumbnails.set(id, source);
    // Map keeps insertion order: the first keys are the least recently loaded.
    while (this.thumbnails.size > THUMBNAIL_CACHE_LIMIT) {
      const oldest = this.thumbnails.keys().next().value as number;
      this.thumbnails.delete(oldest);
    }
  }

  private changed() {
    this.revision++;
    for (const listener of this.listeners) listener();
  }
}

/** Where each day begins (a day's frames are consecutive in capture order). */
export function dayStarts(frames: readonly FrameEntry[]): DayStart[] {
  const days: DayStart[] = [];
  for (const [position, frame] of frames.entries()) {
    const current = days.at(-1);
    if (current && current.day === frame.day_number) current.count++;
    else days.push({ day: frame.day_number, position, count: 1, captured_at: frame.captured_at });
  }
  return days;
}
