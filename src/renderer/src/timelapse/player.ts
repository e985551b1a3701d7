import { DEFAULT_FPS, MAX_FPS, MIN_FPS } from '../../../shared/contract';
import { FrameCache } from './frame-cache';
import type { FrameIndex } from './frame-index';
import { aheadOf, chooseDue, edge, stepFrom, type Walk } from './playback';

export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;

export interface PlayerSettings {
  /** Frames per second at 1× speed. */
  fps: number;
  speed: number;
  loop: boolean;
  skipFlagged: boolean;
}

export interface PlayerState extends PlayerSettings {
  /** Where the playhead is (the scrubber shows it); drawn as soon as it is decoded. */
  position: number;
  /** The frame on the canvas; null before the first is drawn. */
  shown: number | null;
  playing: boolean;
  /** Playing, and the next frame is still on its way. */
  waiting: boolean;
}

/** A late display frame (a hidden tab, a long task) does not make playback race to catch up. */
const MAX_CATCH_UP = 8;
/** Frames kept decoded behind the playhead, for stepping back. */
const BEHIND = 3;

/**
 * The timelapse player: plays the frames' smalls on a canvas at fps × speed,
 * each decoded before it is drawn, with what comes next fetched ahead
 * (seconds of compressed frames, a fraction of a second decoded) and a
 * bounded cache. Frames are due on a fixed schedule from the one on screen;
 * when the next is not ready in time the schedule waits for it (no skipping
 * because of the network). React reads it through `subscribe`/`snapshot`.
 */
export class Player {
  private state: PlayerState;
  private canvas: HTMLCanvasElement | null = null;
  private readonly cache: FrameCache;
  private readonly listeners = new Set<() => void>();
  /** When the frame on screen was due (performance.now() time). */
  private anchor = 0;
  private raf = 0;

  constructor(
    private readonly index: FrameIndex,
    urls: (id: number) => readonly string[],
    settings: Partial<PlayerSettings> = {},
  ) {
    this.state = {
      fps: DEFAULT_FPS,
      speed: 1,
      loop: false,
      skipFlagged: false,
      ...settings,
      position: 0,
      shown: null,
      playing: false,
      waiting: false,
    };
    this.cache = new FrameCache({ urls, onReady: (id) => this.onReady(id) });
  }

  get snapshot(): PlayerState {
    return this.state;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The canvas frames are drawn on (null when it goes away). */
  attach(canvas: HTMLCanvasElement | null): void {
    this.canvas = canvas;
    if (canvas) this.seek(this.state.position);
  }

  play(): void {
    const frames = this.index.frames;
    if (frames.length === 0 || this.state.playing) return;
    // At the end without looping, play starts over, as players do.
    if (!this.state.loop && aheadOf(frames, this.state.position, 1, this.walk).length === 0) {
      this.seek(edge(frames, 'first', this.walk) ?? 0);
    }
    // The next frame is due at once: pressing play moves the picture on the next display frame.
    this.anchor = performance.now() - 1000 / this.rate;
    this.update({ playing: true, waiting: false });
    this.preload();
    this.schedule();
  }

  pause(): void {
    if (!this.state.playing) return;
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.update({ playing: false, waiting: false });
  }

  toggle(): void {
    if (this.state.playing) this.pause();
    else this.play();
  }

  /** One frame back or forward (pausing first). */
  step(direction: 1 | -1): void {
    this.pause();
    const target = stepFrom(this.index.frames, this.state.position, direction, this.walk);
    if (target !== null) this.seek(target);
  }

  /** The first or last frame. */
  jump(which: 'first' | 'last'): void {
    const target = edge(this.index.frames, which, this.walk);
    if (target !== null) this.seek(target);
  }

  /** Shows `position` as soon as it is decoded (at once when it is); playing goes on from there. */
  seek(position: number): void {
    const total = this.index.frames.length;
    if (total === 0) return;
    const target = Math.min(total - 1, Math.max(0, Math.round(position)));
    this.update({ position: target });
    this.anchor = performance.now();
    this.preload();
    this.drawIfReady(target);
  }

  set(settings: Partial<PlayerSettings>): void {
    const fps = settings.fps === undefined ? undefined : clampFps(settings.fps);
    this.update({ ...settings, ...(fps === undefined ? {} : { fps }) });
    this.anchor = performance.now();
    this.preload();
  }

  dispose(): void {
    cancelAnimationFrame(this.raf);
    this.cache.dispose();
    this.listeners.clear();
  }

  private get walk(): Walk {
    return { skipFlagged: this.state.skipFlagged, loop: this.state.loop };
  }

  private get rate(): number {
    return this.state.fps * this.state.speed;
  }

  private schedule(): void {
    if (!this.raf) this.raf = requestAnimationFrame(this.tick);
  }

  private readonly tick = (now: number): void => {
    this.raf = 0;
    if (!this.state.playing) return;
    const interval = 1000 / this.rate;
    let dueCount = Math.floor((now - this.anchor) / interval);
    if (dueCount > MAX_CATCH_UP) {
      this.anchor = now - interval;
      dueCount = 1;
    }
    const frames = this.index.frames;
    const id = (position: number) => frames[position]!.id;
    const { position, shown } = this.state;
    if (shown !== position && frames[position] && !this.cache.failed(id(position))) {
      // Sought while playing: show that frame first, then play on from it.
      if (this.cache.bitmap(id(position))) {
        this.draw(position);
        this.anchor = now;
        this.update({ waiting: false });
      } else {
        this.anchor = now;
        if (!this.state.waiting) this.update({ waiting: true });
      }
      this.preload();
      this.schedule();
      return;
    }
    if (dueCount >= 1) {
      const due = aheadOf(frames, position, dueCount, this.walk);
      if (due.length === 0) {
        this.pause();
        return;
      }
      const { steps, draw } = chooseDue(
        due,
        (p) => this.cache.settled(id(p)),
        (p) => this.cache.bitmap(id(p)) !== undefined,
      );
      if (steps === 0) {
        // Wait for the next frame: it is due the moment it is ready.
        this.anchor = now - interval;
        if (!this.state.waiting) this.update({ waiting: true });
      } else {
        this.anchor += steps * interval;
        const target = due[steps - 1]!;
        if (draw) this.draw(target);
        else this.update({ position: target });
        if (this.state.waiting) this.update({ waiting: false });
      }
      this.preload();
    }
    this.schedule();
  };

  /** Asks the cache for what comes next: bytes for ~2 s ahead, bitmaps for ~½ s, a few behind. */
  private preload(): void {
    const frames = this.index.frames;
    if (frames.length === 0) return;
    const from = this.state.position;
    const decodeAhead = Math.min(30, Math.max(4, Math.ceil(this.rate / 2)));
    const fetchAhead = Math.min(120, Math.max(12, Math.ceil(this.rate * 2)));
    const behind: number[] = [];
    for (let p: number | null = from; behind.length < BEHIND;) {
      p = stepFrom(frames, p, -1, this.walk);
      if (p === null) break;
      behind.push(p);
    }
    const ahead = aheadOf(frames, from, fetchAhead, this.walk);
    const ids = [from, ...ahead.slice(0, decodeAhead), ...behind, ...ahead.slice(decodeAhead)].map(
      (p) => frames[p]!.id,
    );
    this.cache.want(ids, 1 + decodeAhead + behind.length, {
      bitmaps: 1 + decodeAhead + behind.length + 4,
      blobs: ids.length + 60,
    });
  }

  private onReady(id: number): void {
    if (!this.state.playing && this.index.frames[this.state.position]?.id === id) {
      this.drawIfReady(this.state.position);
    }
  }

  private drawIfReady(position: number): void {
    const frame = this.index.frames[position];
    if (frame && this.cache.bitmap(frame.id)) this.draw(position);
  }

  private draw(position: number): void {
    const frame = this.index.frames[position]!;
    const bitmap = this.cache.bitmap(frame.id);
    const canvas = this.canvas;
    if (!bitmap || !canvas) return;
    if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
    }
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
    // What is on screen, for tests and the playback benchmark to watch.
    canvas.dataset.position = String(position);
    canvas.dataset.imageId = String(frame.id);
    this.update({ shown: position, position });
  }

  private update(patch: Partial<PlayerState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

function clampFps(fps: number): number {
  return Number.isFinite(fps) ? Math.min(MAX_FPS, Math.max(MIN_FPS, Math.round(fps))) : DEFAULT_FPS;
}
