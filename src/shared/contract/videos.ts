import { z } from 'zod';
import { fillPath } from './http';
import { IMAGE_SCHEME, splitUrl, type ImageTransport } from './images';
import { countSchema, flagSchema, idSchema } from './schemas';
import { videoSizeSchema, type FrameFlag, type VideoSize, type VideoStatus } from './vocabulary';

/**
 * Watching and exporting a timelapse: the player's frame index, rendered
 * videos (MP4 render jobs and their files) and where a video's file is, over
 * HTTP (with Range, so a <video> can seek) and through the app's scheme.
 */

/**
 * A timelapse's frames in capture order, compact enough for 100,000 of them
 * in one answer: columns, each number the difference to the one before
 * (the first as is), so a frame is a few bytes instead of an object.
 */
export interface TimelapseFrames {
  timelapse_id: number;
  /** Position of the first frame answered: the offset asked for, or 0 when the index changed under it. */
  offset: number;
  /** Frame ids: the first, then differences. */
  id_deltas: number[];
  /** Capture times in epoch milliseconds: the first, then differences. */
  time_deltas_ms: number[];
  /** Day numbers as runs: [day_number, frames in the run]. */
  day_runs: [number, number][];
  /** The frames kept though they look wrong (few): [position from `offset`, why]. */
  flags: [number, FrameFlag][];
}

/** One frame of the index, decoded. */
export interface IndexedFrame {
  id: number;
  /** Capture time, epoch milliseconds. */
  captured_at: number;
  day_number: number;
  /** Kept though it looks wrong (why), else null. */
  flag_reason: FrameFlag | null;
}

/** Frames (from `offset`, in capture order) into the difference-coded answer. */
export function encodeFrames(
  timelapseId: number,
  offset: number,
  frames: Iterable<IndexedFrame>,
): TimelapseFrames {
  const answer: TimelapseFrames = {
    timelapse_id: timelapseId,
    offset,
    id_deltas: [],
    time_deltas_ms: [],
    day_runs: [],
    flags: [],
  };
  let previous = { id: 0, captured_at: 0 };
  let position = 0;
  for (const frame of frames) {
    answer.id_deltas.push(frame.id - previous.id);
    answer.time_deltas_ms.push(frame.captured_at - previous.captured_at);
    const run = answer.day_runs.at(-1);
    if (run && run[0] === frame.day_number) run[1]++;
    else answer.day_runs.push([frame.day_number, 1]);
    if (frame.flag_reason) answer.flags.push([position, frame.flag_reason]);
    previous = frame;
    position++;
  }
  return answer;
}

/** The difference-coded answer back into frames. */
export function decodeFrames(answer: TimelapseFrames): IndexedFrame[] {
  const frames: IndexedFrame[] = [];
  let id = 0;
  let time = 0;
  for (let i = 0; i < answer.id_deltas.length; i++) {
    id += answer.id_deltas[i]!;
    time += answer.time_deltas_ms[i]!;
    frames.push({ id, captured_at: time, day_number: 0, flag_reason: null });
  }
  let position = 0;
  for (const [day, count] of answer.day_runs) {
    for (let i = 0; i < count; i++) frames[position++]!.day_number = day;
  }
  for (const [at, reason] of answer.flags) frames[at]!.flag_reason = reason;
  return frames;
}

export const timelapseFramesArgs = z
  .object({
    timelapse_id: idSchema,
    /** Frames already known: answer from this position on … */
    offset: countSchema.optional(),
    /** … if the frame just before it still has this id (else the whole index again). */
    last_id: idSchema.optional(),
    /** Only the flagged frames (the grid's "flagged only" filter). */
    flagged: flagSchema.optional(),
  })
  .strict();

/** The player's range and the CLI's: 1–60 frames per second. */
export const MIN_FPS = 1;
export const MAX_FPS = 60;
export const DEFAULT_FPS = 24;
export const DEFAULT_VIDEO_SIZE: VideoSize = '1080p';
const fpsSchema = countSchema.pipe(z.number().int().min(MIN_FPS).max(MAX_FPS));
const daySchema = countSchema.pipe(z.number().int().min(1));

export const renderVideoArgs = z
  .object({
    timelapse_id: idSchema,
    fps: fpsSchema.default(DEFAULT_FPS),
    size: videoSizeSchema.default(DEFAULT_VIDEO_SIZE),
    from_day: daySchema.optional(),
    to_day: daySchema.optional(),
  })
  .strict()
  .refine((a) => a.from_day === undefined || a.to_day === undefined || a.from_day <= a.to_day, {
    message: 'from_day must not be after to_day',
    path: ['from_day'],
  });

/** A render job and its MP4, as the API shows it. */
export interface VideoDto {
  id: number;
  timelapse_id: number;
  /** The file's name in the timelapse's videos/ folder. */
  file_name: string;
  status: VideoStatus;
  size: VideoSize;
  fps: number;
  from_day: number | null;
  to_day: number | null;
  frame_count: number;
  frames_done: number;
  width: number | null;
  height: number | null;
  /** frame_count ÷ fps. */
  duration_seconds: number;
  file_size: number | null;
  /** Why it failed or was cancelled. */
  error: string | null;
  /** While rendering, from the pace so far; else null. */
  eta_seconds: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The file over HTTP once completed (`?download=1` makes it an attachment); else null. */
  url: string | null;
}

/** Where a video's file is: a function, as the contract's modules import one another in a cycle (nothing may read IMAGE_SCHEME at load). */
export function videoUrlTemplate(transport: ImageTransport): string {
  return transport === 'http'
    ? '/api/videos/:video_id/file'
    : `${IMAGE_SCHEME}://videos/:video_id/file`;
}

/** A video file's URL; `download` asks for it as an attachment under its file name. */
export function videoUrl(transport: ImageTransport, videoId: number, download = false): string {
  const { path } = fillPath(videoUrlTemplate(transport), { video_id: videoId });
  return download ? `${path}?download=1` : path;
}

export interface VideoRequest {
  videoId: number;
  download: boolean;
}

/** What a video URL asks for, or null (ids only reach the server, never paths). */
export function parseVideoUrl(transport: ImageTransport, url: string): VideoRequest | null {
  const split = splitUrl(transport, url);
  if (!split) return null;
  const { bare, query } = split;
  const [head, tail] = videoUrlTemplate(transport).split(':video_id');
  if (!bare.startsWith(head!) || !bare.endsWith(tail!)) return null;
  const id = bare.slice(head!.length, bare.length - tail!.length);
  if (!/^[1-9]\d{0,14}$/.test(id)) return null;
  const download = query.get('download');
  return { videoId: Number(id), download: download === '1' || download === 'true' };
}
