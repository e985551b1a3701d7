import { MAX_BATCH_IDS, type FrameFlag } from '../../../shared/contract';
import type { Api } from '../api/client';
import { ApiError, errorMessage } from '../api/transport';

/** What the grid needs of a frame; the rest of its metadata is fetched when it is opened. */
export interface FrameEntry {
  id: number;
  captured_at: string;
  day_number: number;
  /** Kept though it looks wrong (a badge says why). */
  flag_reason: FrameFlag | null;
}

const PAGE_SIZE = 1000;
/** Thumbnails kept in memory (a data URI is ~13 kB): enough for many screens of scrolling. */
const THUMBNAIL_CACHE_LIMIT = 2000;
/** The batch route is rate-limited per client: after a 429, wait this long and ask again. */
const RATE_LIMIT_RETRY_MS = 3000;

/**
 * A timelapse's frames for a virtualized grid of 100,000 of them: ids are paged
 * in (keyset pages of 1000, only as far as the user has scrolled), thumbnails
 * come through the batch route (≤ 200 per request) for the rows on screen and
 * stay in a bounded cache. React reads it through `subscribe`/`version`.
 */
export class FrameIndex {
  readonly frames: FrameEntry[] = [];
  private afterId = 0;
  private complete = false;
  private loadingIds: Promise<void> | null = null;
  private readonly thumbnails = new Map<number, string>();
  private readonly requested = new Set<number>();
  private readonly listeners = new Set<() => void>();
  private revision = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  error: string | null = null;

  constructor(
    private readonly api: Api,
    readonly timelapseId: number,
    /** Only the frames kept with a flag (the grid's "flagged only" filter). */
    readonly flaggedOnly = false,
  ) {}

  get version(): number {
    return this.revision;
  }

  get done(): boolean {
    return this.complete;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  thumbnail(id: number): string | undefined {
    return this.thumbnails.get(id);
  }

  /** The timelapse grew since the last page: the next ensureIndex asks for frames after the last one. */
  expectMore(): void {
    this.complete = false;
  }

  /** Loads id pages until `index` is known (or the timelapse ends). */
  async ensureIndex(index: number): Promise<void> {
    while (!this.complete && this.frames.length <= index && !this.error) {
      this.loadingIds ??= this.loadPage().finally(() => {
        this.loadingIds = null;
      });
      await this.loadingIds;
    }
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
          this.remember(image.image_id, image.data_uri ?? this.api.imageUrl({ kind: 'image', id: image.image_id }, 'thumbnail'));
        }
        // Ids the server no longer knows fall back to the single-image URL (its placeholder).
        for (const id of batch.missing_ids) this.remember(id, this.api.imageUrl({ kind: 'image', id }, 'thumbnail'));
      } catch (error) {
        // 429: this client's batches, 503: the server's, are all in flight; both pass shortly.
        if (error instanceof ApiError && (error.statusCode === 429 || error.statusCode === 503)) this.retryLater(ids);
        else this.error = errorMessage(error);
      } finally {
        chunk.forEach((id) => this.requested.delete(id));
        this.changed();
      }
    }
  }

  /** Stops pending retries (the grid went away). */
  dispose(): void {
    clearTimeout(this.retryTimer);
    this.listeners.clear();
  }

  private retryLater(ids: readonly number[]) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.loadThumbnails(ids), RATE_LIMIT_RETRY_MS);
  }

  private async loadPage(): Promise<void> {
    try {
      const page = await this.api.call('timelapses.images', {
        timelapse_id: this.timelapseId,
        after_id: this.afterId,
        limit: PAGE_SIZE,
        ...(this.flaggedOnly && { flagged: true }),
      });
      for (const image of page.images) {
        const { id, captured_at, day_number, flag_reason } = image;
        this.frames.push({ id, captured_at, day_number, flag_reason });
      }
      // The last id seen, not next_after_id: that is null at the end, and frames may come after it later.
      this.afterId = page.images.at(-1)?.id ?? this.afterId;
      this.complete = page.next_after_id === null;
    } catch (error) {
      this.error = errorMessage(error);
    }
    this.changed();
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
