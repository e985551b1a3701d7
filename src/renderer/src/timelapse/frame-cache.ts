/**
 * Frames for the player, fetched and decoded before they are shown: each
 * frame's bytes (a Blob) come through the fallback chain's URLs in turn, then
 * createImageBitmap decodes them off the main thread, so drawing one is
 * instant and never flashes an empty picture. Two bounded caches: compressed
 * bytes far ahead (cheap: ~60 kB a small), decoded bitmaps only just ahead
 * (~1.5 MB each). What is wanted is said in order of need; the rest is evicted,
 * least recently wanted first, and fetches nobody wants give way to new ones.
 */

/** While the server cannot be reached, frames are asked for again this often. */
const OFFLINE_RETRY_MS = 1000;

type Entry =
  | { state: 'fetching'; abort: AbortController; used: number }
  | { state: 'fetched'; blob: Blob; used: number }
  | { state: 'decoding'; blob: Blob; used: number }
  | { state: 'decoded'; blob: Blob; bitmap: ImageBitmap; used: number }
  | { state: 'failed'; used: number };

export interface FrameCacheOptions {
  /** The URLs to try for a frame, in the fallback chain's order. */
  urls(id: number): readonly string[];
  /** Called when a frame's bitmap is ready (or it failed for good). */
  onReady(id: number): void;
  /** Fetches at once (a browser allows 6 per host over HTTP/1.1). */
  concurrency?: number;
}

export class FrameCache {
  private readonly entries = new Map<number, Entry>();
  private wanted: readonly number[] = [];
  private decodeCount = 0;
  private clock = 0;
  private disposed = false;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: FrameCacheOptions) {}

  /** The decoded frame, if it is ready. */
  bitmap(id: number): ImageBitmap | undefined {
    const entry = this.entries.get(id);
    return entry?.state === 'decoded' ? entry.bitmap : undefined;
  }

  /** Ready to show, or known to be unloadable (the player moves past it). */
  settled(id: number): boolean {
    const state = this.entries.get(id)?.state;
    return state === 'decoded' || state === 'failed';
  }

  failed(id: number): boolean {
    return this.entries.get(id)?.state === 'failed';
  }

  /**
   * The frames needed, most urgent first: all of them fetched, the first
   * `decode` decoded too. Bitmaps beyond those and bytes beyond all of them
   * are kept only up to the limits.
   */
  want(ids: readonly number[], decode: number, limits: { bitmaps: number; blobs: number }): void {
    this.wanted = ids;
    this.decodeCount = decode;
    const now = ++this.clock;
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (entry) entry.used = now;
    }
    this.evict(limits);
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retry);
    for (const entry of this.entries.values()) {
      if (entry.state === 'fetching') entry.abort.abort();
      if (entry.state === 'decoded') entry.bitmap.close();
    }
    this.entries.clear();
  }

  private pump(): void {
    if (this.disposed) return;
    const concurrency = this.options.concurrency ?? 6;
    const wanted = new Set(this.wanted);
    for (const [index, id] of this.wanted.entries()) {
      const entry = this.entries.get(id);
      if (!entry) {
        // Offline: no new fetches until the retry is due.
        if (this.retry || (this.inFlight() >= concurrency && !this.abortUnwanted(wanted))) continue;
        void this.fetch(id);
      } else if (entry.state === 'fetched' && index < this.decodeCount) {
        void this.decode(id, entry.blob);
      }
    }
  }

  private inFlight(): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.state === 'fetching') count++;
    return count;
  }

  /** Frees a fetch slot held by a frame no longer wanted (a scrub moved on); false if none. */
  private abortUnwanted(wanted: ReadonlySet<number>): boolean {
    for (const [id, entry] of this.entries) {
      if (entry.state === 'fetching' && !wanted.has(id)) {
        entry.abort.abort();
        this.entries.delete(id);
        return true;
      }
    }
    return false;
  }

  private async fetch(id: number): Promise<void> {
    const abort = new AbortController();
    this.entries.set(id, { state: 'fetching', abort, used: this.clock });
    let blob: Blob | null = null;
    for (const url of this.options.urls(id)) {
      try {
        const response = await fetch(url, { signal: abort.signal });
        if (response.ok) {
          blob = await response.blob();
          break;
        }
      } catch {
        if (abort.signal.aborted) return;
        // The server is unreachable (stopped, restarting): not the frame's fault. Forget the
        // attempt and ask again in a while; meanwhile the player waits rather than skipping.
        this.entries.delete(id);
        this.retry ??= setTimeout(() => {
          this.retry = undefined;
          this.pump();
        }, OFFLINE_RETRY_MS);
        return;
      }
    }
    if (this.entries.get(id)?.state !== 'fetching' || this.disposed) return;
    this.entries.set(
      id,
      blob ? { state: 'fetched', blob, used: this.clock } : { state: 'failed', used: this.clock },
    );
    if (!blob) this.options.onReady(id);
    this.pump();
  }

  private async decode(id: number, blob: Blob): Promise<void> {
    const entry = this.entries.get(id)!;
    this.entries.set(id, { state: 'decoding', blob, used: entry.used });
    let bitmap: ImageBitmap | null = null;
    try {
      bitmap = await createImageBitmap(blob);
    } catch {
      // Not a picture the browser decodes: the frame is skipped, like one that will not load.
    }
    const now = this.entries.get(id);
    if (now?.state !== 'decoding' || this.disposed) {
      bitmap?.close();
      return;
    }
    this.entries.set(
      id,
      bitmap
        ? { state: 'decoded', blob, bitmap, used: now.used }
        : { state: 'failed', used: now.used },
    );
    this.options.onReady(id);
  }

  /** Drops bitmaps, then bytes, beyond the limits: those wanted last longest ago first. */
  private evict(limits: { bitmaps: number; blobs: number }): void {
    const byAge = [...this.entries.entries()].sort((a, b) => a[1].used - b[1].used);
    let bitmaps = byAge.filter(([, e]) => e.state === 'decoded').length;
    let blobs = byAge.filter(([, e]) => e.state !== 'fetching' && e.state !== 'failed').length;
    const decodeSet = new Set(this.wanted.slice(0, this.decodeCount));
    const wanted = new Set(this.wanted);
    for (const [id, entry] of byAge) {
      if (bitmaps > limits.bitmaps && entry.state === 'decoded' && !decodeSet.has(id)) {
        entry.bitmap.close();
        this.entries.set(id, { state: 'fetched', blob: entry.blob, used: entry.used });
        bitmaps--;
      }
    }
    for (const [id] of byAge) {
      const entry = this.entries.get(id)!;
      if (wanted.has(id) || entry.state === 'fetching' || entry.state === 'decoding') continue;
      // A frame that failed is tried again when it is wanted again (the server may be back).
      if (entry.state === 'failed') {
        this.entries.delete(id);
        continue;
      }
      if (blobs <= limits.blobs) continue;
      if (entry.state === 'decoded') entry.bitmap.close();
      this.entries.delete(id);
      blobs--;
    }
  }
}
