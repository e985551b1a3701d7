import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { CoreContext } from '../context';
import { NotFoundError, PathOutsideRootError } from '../errors';
import { etagMatches } from './image-service';

export interface VideoReply {
  status: 200 | 206 | 304 | 416;
  headers: Record<string, string>;
  body?: Readable;
}

export interface VideoFileRequest {
  /** The Range header, if any: one `bytes=` range is honoured (what <video> sends). */
  range?: string | null;
  ifNoneMatch?: string | null;
  /** Serve as an attachment under the file's name. */
  download?: boolean;
}

// O_NOFOLLOW: a file swapped for a symlink after resolve() still is not followed.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * A completed video's MP4 for HTTP and the app's protocol: path-contained,
 * with byte ranges (206, 416) so a <video> can seek and a download resume,
 * and an ETag that changes if the id is ever reused for another file.
 */
export class VideoFileService {
  constructor(private readonly core: Pick<CoreContext, 'ops' | 'tree'>) {}

  async serve(videoId: number, request: VideoFileRequest = {}): Promise<VideoReply> {
    const video = this.core.ops.videos.getById(videoId);
    if (!video || video.status !== 'completed') {
      throw new NotFoundError(video ? 'The video is not rendered yet' : 'Video not found', {
        video_id: videoId,
      });
    }
    const handle = await this.openFile(video.file_path, videoId);
    const stats = await handle.stat();
    const size = stats.size;
    const etag = `"video-${videoId}-${size}-${Math.floor(stats.mtimeMs)}"`;
    const headers: Record<string, string> = {
      'content-type': 'video/mp4',
      'accept-ranges': 'bytes',
      etag,
      // Revalidate each time (a 304 is cheap): a deleted video's id may be given to the next one.
      'cache-control': 'no-cache',
    };
    if (request.download)
      headers['content-disposition'] = `attachment; filename="${basename(video.file_path)}"`;
    if (request.ifNoneMatch && etagMatches(request.ifNoneMatch, etag)) {
      await handle.close();
      return { status: 304, headers };
    }
    const range = request.range ? parseRange(request.range, size) : null;
    if (range === 'unsatisfiable') {
      await handle.close();
      return { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } };
    }
    if (range === null || size === 0) {
      return {
        status: 200,
        headers: { ...headers, 'content-length': String(size) },
        body: handle.createReadStream(),
      };
    }
    return {
      status: 206,
      headers: {
        ...headers,
        'content-length': String(range.end - range.start + 1),
        'content-range': `bytes ${range.start}-${range.end}/${size}`,
      },
      body: handle.createReadStream({ start: range.start, end: range.end }),
    };
  }

  private async openFile(stored: string, videoId: number): Promise<FileHandle> {
    const missing = () => new NotFoundError('The video file is missing', { video_id: videoId });
    let handle: FileHandle;
    try {
      handle = await open(this.core.tree.resolve(stored), OPEN_FLAGS);
    } catch (error) {
      if (error instanceof PathOutsideRootError) throw missing();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') throw missing();
      throw error;
    }
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw missing();
    }
    return handle;
  }
}

/**
 * One byte range of `bytes=a-b`, `bytes=a-` or `bytes=-n` (RFC 9110), clamped
 * to the file; null to ignore the header (another unit, several ranges, or
 * malformed: the whole file is the answer); 'unsatisfiable' past the end.
 */
export function parseRange(
  header: string,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  const [, first, last] = match;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
