import { open, stat } from 'node:fs/promises';
import {
  FALLBACK_CHAIN,
  VARIANT_BOX,
  type ImageVariant,
  type VideoSize,
} from '../../shared/contract';
import type { CoreContext } from '../context';
import type { PageCursor, VideoFrame } from '../database/operations/image-operations';
import type { VideoRow } from '../database/types';
import { calculateThumbnailDimensions, type Size } from '../imaging/dimensions';
import { inspectFile } from '../imaging/image-input';

/** The 1080p box: a frame is fitted inside it (enlarged if smaller: 1080p was asked for). */
export const HD_BOX: Size = { width: 1920, height: 1080 };

/** Frames whose files are checked at once while the list is written. */
const PAGE = 500;

export interface RenderPlan {
  /** Frames in the list (those with any file to read). */
  frameCount: number;
  /** The picture size every frame is fitted into (even, as yuv420p needs). */
  width: number;
  height: number;
}

/**
 * The picture size of a video: the frames' own (full), fitted into 1920×1080
 * (1080p), or fitted into the smalls' box and never enlarged, as smalls are
 * (small). Both sides even.
 */
export function outputSize(source: Size, size: VideoSize): Size {
  const fitted =
    size === 'full'
      ? source
      : size === 'small'
        ? calculateThumbnailDimensions(source, VARIANT_BOX.small)
        : fitInside(source, HD_BOX);
  return { width: even(fitted.width), height: even(fitted.height) };
}

/**
 * Writes ffmpeg's concat list for a video: each frame's file in capture order,
 * through the fallback chain (the small for a small video, else the frame
 * itself; the next variant when a file is gone), so ffmpeg reads the library's
 * files in place. Answers the frame count and the output size, taken from the
 * first frame (later frames of another size are fitted and padded into it).
 */
export async function writeFrameList(
  ctx: Pick<CoreContext, 'ops' | 'tree'>,
  video: Pick<VideoRow, 'timelapse_id' | 'from_day' | 'to_day' | 'size'>,
  listPath: string,
): Promise<RenderPlan> {
  const chain = FALLBACK_CHAIN[video.size === 'small' ? 'small' : 'full'];
  const days = { from: video.from_day, to: video.to_day };
  const list = await open(listPath, 'wx');
  let frameCount = 0;
  let source: Size | null = null;
  try {
    await list.write('ffconcat version 1.0\n');
    let after: PageCursor = { captured_at: Number.MIN_SAFE_INTEGER, id: 0 };
    for (;;) {
      const page = ctx.ops.images.framesForVideo(video.timelapse_id, days, after, PAGE);
      if (page.length === 0) break;
      after = page.at(-1)!;
      const files = await Promise.all(page.map((frame) => firstExisting(ctx, frame, chain)));
      let lines = '';
      for (const [i, file] of files.entries()) {
        if (!file) continue;
        source ??= await sizeOf(page[i]!, file);
        lines += `file ${quote(file)}\n`;
        frameCount++;
      }
      await list.write(lines);
    }
    await list.sync();
  } finally {
    await list.close();
  }
  const { width, height } = source ? outputSize(source, video.size) : { width: 0, height: 0 };
  return { frameCount, width, height };
}

async function firstExisting(
  ctx: Pick<CoreContext, 'tree'>,
  frame: VideoFrame,
  chain: readonly ImageVariant[],
): Promise<string | null> {
  for (const variant of chain) {
    const stored =
      variant === 'full'
        ? frame.file_path
        : variant === 'small'
          ? frame.small_path
          : frame.thumbnail_path;
    if (!stored) continue;
    try {
      const path = ctx.tree.resolve(stored);
      if ((await stat(path)).isFile()) return path;
    } catch {
      // gone or outside the root: the next variant
    }
  }
  return null;
}

/** The frame's own size (recorded at capture; else read from the file ffmpeg gets). */
async function sizeOf(frame: VideoFrame, file: string): Promise<Size> {
  if (frame.width && frame.height) return { width: frame.width, height: frame.height };
  const { width, height } = await inspectFile(file);
  return { width, height };
}

function fitInside(source: Size, box: Size): Size {
  const scale = Math.min(box.width / source.width, box.height / source.height);
  return { width: Math.round(source.width * scale), height: Math.round(source.height * scale) };
}

function even(n: number): number {
  return Math.max(2, n - (n % 2));
}

/** A path as an ffconcat string: single-quoted, a quote inside written '\'' as in a shell. */
function quote(path: string): string {
  return `'${path.replace(/'/g, "'\\''")}'`;
}
