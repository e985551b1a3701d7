import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ParsedArgs } from '../../shared/contract';
import type { CoreContext } from '../context';
import type { VideoOutcome } from '../database/operations/video-operations';
import type { VideoRow } from '../database/types';
import type { Logger } from '../logging/logger';
import { ConflictError, NotFoundError, TimelapserError, ValidationError } from '../errors';
import { fileSize, safeDelete, tempPathFor } from '../files/file-operations';
import { StagedFile } from '../files/staged-file';
import { ffmpegCommand, ffmpegVersion } from '../system/ffmpeg';
import { isLeaseOwnerDead, makeLeaseOwner } from '../system/lease-owner';
import { encode } from './ffmpeg-encoder';
import { writeFrameList } from './render-plan';
import { formatVideoName, nextVersion } from './video-name';

export interface VideoServiceOptions {
  /** The ffmpeg to run (default: TIMELAPSER_FFMPEG, else ffmpeg on PATH). */
  ffmpeg?: string;
  /** How often a started service looks for renders other processes queued (ms). */
  pollMs?: number;
  /** A render whose heartbeat is older than this has lost its process (another host's, say). */
  staleAfterMs?: number;
}

export interface RenderHereOptions {
  signal?: AbortSignal;
  onProgress?: (framesDone: number, frameCount: number) => void;
}

/** Progress reaches the database and the event stream at most this often. */
const PROGRESS_EVERY_MS = 500;
const WAIT_POLL_MS = 250;

/** Why a render's process let go of it. */
class Released extends Error {}

/**
 * MP4 export as tracked render jobs: one render at a time per library, in
 * the process that claims it (the app or `serve` in the background, or the
 * CLI's `render --wait` in the foreground). The file is written in the temp
 * folder and gets its name in videos/ only once complete, so a render killed
 * mid-way leaves no file under its final name; the next start marks it
 * failed with the reason. A render stopped by closing the app is queued
 * again and resumes from the start at the next start.
 */
export class VideoService {
  private readonly owner = makeLeaseOwner();
  private readonly command: string;
  /** Renders this process runs: the queue's one, and any the CLI runs in the foreground. */
  private readonly running = new Map<number, { abort: AbortController; done: Promise<void> }>();
  private started = false;
  private poll: ReturnType<typeof setInterval> | undefined;
  private readonly log: Logger;

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: VideoServiceOptions = {},
  ) {
    this.command = options.ffmpeg ?? ffmpegCommand();
    this.log = ctx.log.child({ component: 'video' });
  }

  list(timelapseId: number): VideoRow[] {
    this.timelapse(timelapseId);
    return this.ctx.ops.videos.listForTimelapse(timelapseId);
  }

  get(videoId: number): VideoRow {
    const video = this.ctx.ops.videos.getById(videoId);
    if (!video) throw new NotFoundError('Video not found', { video_id: videoId });
    return video;
  }

  /** The absolute path a video's file has (once completed). */
  filePath(videoId: number): string {
    return this.ctx.tree.resolve(this.get(videoId).file_path);
  }

  /** Queues a render; a missing ffmpeg or an empty day range is a clear error now, not a failed job later. */
  async render(args: ParsedArgs<'videos.render'>): Promise<VideoRow> {
    const timelapse = this.timelapse(args.timelapse_id);
    const days = { from: args.from_day ?? null, to: args.to_day ?? null };
    const frameCount = this.ctx.ops.images.countForVideo(timelapse.id, days);
    if (frameCount === 0) {
      throw new ValidationError(
        days.from === null && days.to === null
          ? 'The timelapse has no frames to render'
          : 'The timelapse has no frames in those days',
        { timelapse_id: timelapse.id, from_day: days.from, to_day: days.to },
      );
    }
    await ffmpegVersion(this.command);
    const fileName = formatVideoName({
      timelapseId: timelapse.id,
      size: args.size,
      fps: args.fps,
      fromDay: days.from,
      toDay: days.to,
      version: nextVersion(this.ctx.ops.videos.filePathsOfTimelapse(timelapse.id)),
    });
    const video = this.ctx.ops.videos.insert({
      timelapse_id: timelapse.id,
      file_path: this.ctx.tree.videoPath(timelapse.camera_id, timelapse.id, fileName),
      size: args.size,
      fps: args.fps,
      from_day: days.from,
      to_day: days.to,
      frame_count: frameCount,
    });
    this.changed(video);
    this.kick();
    return video;
  }

  /** Cancels a queued or running render, wherever it runs; an ended one is answered as it is. */
  cancel(videoId: number): VideoRow {
    const video = this.get(videoId);
    if (this.ctx.ops.videos.cancel(videoId, Date.now())) {
      this.running.get(videoId)?.abort.abort(new Released('cancelled'));
      this.changed(this.get(videoId));
    }
    return this.get(video.id);
  }

  /** Deletes a video: the row first, then the file (a crash between leaves an orphan, never a dangling row). */
  async delete(videoId: number): Promise<void> {
    const video = this.get(videoId);
    const render = this.running.get(videoId);
    if (render) {
      render.abort.abort(new Released('deleted'));
      await render.done;
    }
    this.ctx.ops.videos.delete(videoId);
    await safeDelete(this.ctx.tree.resolve(video.file_path));
    this.changed({ ...video, status: null });
  }

  /**
   * Renders a queued video here and now (the CLI's `--wait`), answering it
   * once ended; the signal cancels it. When another process already renders
   * it, waits for that one.
   */
  async renderHere(videoId: number, options: RenderHereOptions = {}): Promise<VideoRow> {
    const claimed = this.ctx.ops.videos.claim(this.owner, Date.now(), videoId);
    if (claimed) {
      const abort = new AbortController();
      // Ctrl+C on a foreground render means stop it, not leave it for the app.
      const onAbort = () => this.cancel(videoId);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await this.track(claimed, abort, options.onProgress);
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
      }
      return this.get(videoId);
    }
    for (;;) {
      const video = this.get(videoId);
      if (video.status !== 'queued' && video.status !== 'rendering') return video;
      options.onProgress?.(video.frames_done, video.frame_count);
      if (options.signal?.aborted) return video;
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }

  /** Recovers renders whose process died, then renders the queue in the background. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.recover();
    this.poll = setInterval(() => {
      this.recover();
      this.kick();
    }, this.options.pollMs ?? 5_000);
    this.kick();
  }

  /** Stops the renders in progress; they go back to the queue and start over at the next start. */
  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.poll);
    const renders = [...this.running.values()];
    for (const render of renders) render.abort.abort(new Released('stopped'));
    await Promise.all(renders.map((render) => render.done));
  }

  /**
   * Renders this host's dead processes held (or whose heartbeat stopped) are
   * failed with the reason; their temp files were swept when the core opened.
   */
  recover(): number {
    const staleBefore = Date.now() - (this.options.staleAfterMs ?? 120_000);
    let recovered = 0;
    for (const video of this.ctx.ops.videos.listRendering()) {
      const owner = video.owner ?? '';
      const dead = isLeaseOwnerDead(owner, this.owner) || (video.heartbeat_at ?? 0) < staleBefore;
      if (!dead) continue;
      const outcome: VideoOutcome = {
        status: 'failed',
        error_message:
          'Interrupted: the process rendering it stopped before the video was complete',
      };
      if (this.ctx.ops.videos.finish(video.id, owner, outcome, Date.now())) {
        this.log.warn(
          { video_id: video.id, owner },
          'a render whose process died is marked failed',
        );
        recovered++;
        this.changed(this.get(video.id));
      }
    }
    return recovered;
  }

  /** Starts the next queued render if this service runs the queue and nothing renders here. */
  private kick(): void {
    if (!this.started || this.running.size > 0) return;
    const video = this.ctx.ops.videos.claim(this.owner, Date.now());
    if (video) void this.track(video, new AbortController()).finally(() => this.kick());
  }

  /** Runs a claimed render, known as running here until it ends. */
  private track(
    video: VideoRow,
    abort: AbortController,
    onProgress?: RenderHereOptions['onProgress'],
  ): Promise<void> {
    const done = this.run(video, abort, onProgress).finally(() => this.running.delete(video.id));
    this.running.set(video.id, { abort, done });
    return done;
  }

  /** One claimed render, start to end; never throws (the outcome is the row's). */
  private async run(
    claimed: VideoRow,
    abort: AbortController,
    onProgress?: RenderHereOptions['onProgress'],
  ): Promise<void> {
    const { ops, tree } = this.ctx;
    const listPath = tempPathFor(tree.tempDirectory, `video-${claimed.id}.ffconcat`);
    const staged = StagedFile.reserve(tree.tempDirectory, basename(claimed.file_path));
    let video = claimed;
    this.changed(video);
    try {
      const plan = await writeFrameList(this.ctx, video, listPath);
      if (plan.frameCount === 0)
        throw new ValidationError('None of the frames has a file left to read');
      if (
        !ops.videos.setPlan(video.id, this.owner, {
          frame_count: plan.frameCount,
          width: plan.width,
          height: plan.height,
        })
      ) {
        throw new Released('taken');
      }
      video = this.get(video.id);
      let lastWrite = 0;
      await encode({
        command: this.command,
        listPath,
        outputPath: staged.path,
        fps: video.fps,
        width: plan.width,
        height: plan.height,
        signal: abort.signal,
        onProgress: (framesDone) => {
          onProgress?.(framesDone, plan.frameCount);
          const now = Date.now();
          if (now - lastWrite < PROGRESS_EVERY_MS) return;
          lastWrite = now;
          // Cancelled or deleted (here or by another process), or recovered as dead: let go.
          if (!ops.videos.setProgress(video.id, this.owner, framesDone, now))
            abort.abort(new Released('taken'));
          else this.changed({ ...video, frames_done: framesDone });
        },
      });
      await staged.sync();
      await this.publish(video, staged);
    } catch (error) {
      await this.end(video, error);
    } finally {
      await staged.discard();
      await rm(listPath, { force: true });
    }
  }

  /** Gives the finished file its name, only while the render is still ours; else takes it back. */
  private async publish(video: VideoRow, staged: StagedFile): Promise<void> {
    const { ops, tree } = this.ctx;
    const target = tree.resolve(video.file_path);
    if (ops.videos.getById(video.id)?.owner !== this.owner) throw new Released('taken');
    if (!(await staged.publish(target))) {
      throw new ConflictError(`A file named ${basename(target)} is already in the videos folder`);
    }
    const size = (await fileSize(target)) ?? 0;
    if (
      !ops.videos.finish(video.id, this.owner, { status: 'completed', file_size: size }, Date.now())
    ) {
      await safeDelete(target);
      return;
    }
    const seconds = (Date.now() - (video.started_at ?? Date.now())) / 1000;
    this.log.info(
      { video_id: video.id, file: video.file_path, frames: video.frame_count, seconds },
      'video rendered',
    );
    this.changed(this.get(video.id));
  }

  /** Records how a render that did not complete ended. */
  private async end(video: VideoRow, error: unknown): Promise<void> {
    const { ops } = this.ctx;
    if (error instanceof Released) {
      // Closing the app: back to the queue, so the next start renders it again.
      if (error.message === 'stopped' && ops.videos.release(video.id, this.owner))
        this.changed(this.get(video.id));
      return;
    }
    const message =
      error instanceof TimelapserError || error instanceof Error ? error.message : String(error);
    this.log.warn({ video_id: video.id, err: error }, 'render failed');
    if (
      ops.videos.finish(
        video.id,
        this.owner,
        { status: 'failed', error_message: message },
        Date.now(),
      )
    ) {
      this.changed(this.get(video.id));
    }
  }

  private timelapse(timelapseId: number) {
    const timelapse = this.ctx.ops.timelapses.getById(timelapseId);
    if (!timelapse) throw new NotFoundError('Timelapse not found', { timelapse_id: timelapseId });
    return timelapse;
  }

  private changed(
    video: Pick<VideoRow, 'id' | 'timelapse_id' | 'frames_done' | 'frame_count'> & {
      status: VideoRow['status'] | null;
    },
  ): void {
    this.ctx.events.emit({
      type: 'video_changed',
      video_id: video.id,
      timelapse_id: video.timelapse_id,
      status: video.status,
      frames_done: video.frames_done,
      frame_count: video.frame_count,
    });
  }
}
