import { spawn } from 'node:child_process';
import type { RtspSourceOptions, RtspTransport } from '../../../shared/contract';
import { MAX_FRAME_BYTES } from '../../imaging/frame-file';
import { ffmpegCommand, FfmpegNotFoundError, isCommandMissing } from '../../system/ffmpeg';
import { CaptureSourceError } from '../errors';
import type { PollingSource } from '../types';

export const RTSP_DEFAULTS = {
  timeout_ms: 20_000,
  max_bytes: 20 * 1024 * 1024,
  transport: 'tcp' as RtspTransport,
};
const STDERR_TAIL = 2_000;

/**
 * One frame from a stream through the system's ffmpeg: RTSP over TCP by
 * default (UDP is often blocked or lossy), with the options' user and
 * password put into the URL, the first video frame re-encoded as a high-quality
 * JPEG on stdout. A timeout kills ffmpeg; other URL schemes ffmpeg reads
 * (an http MJPEG stream, say) go through the same path.
 */
export class RtspSource implements PollingSource {
  readonly kind = 'poll';
  private readonly options: typeof RTSP_DEFAULTS;
  private readonly url: string;

  constructor(
    url: string,
    options: RtspSourceOptions = {},
    private readonly command = ffmpegCommand(),
  ) {
    this.url = withCredentials(url, options.username, options.password);
    this.options = {
      timeout_ms: options.timeout_ms ?? RTSP_DEFAULTS.timeout_ms,
      max_bytes: Math.min(options.max_bytes ?? RTSP_DEFAULTS.max_bytes, MAX_FRAME_BYTES),
      transport: options.transport ?? RTSP_DEFAULTS.transport,
    };
  }

  grab(signal: AbortSignal): Promise<Buffer> {
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      const child = spawn(this.command, this.arguments(), { stdio: ['ignore', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      let size = 0;
      let stderr = '';
      let failure: Error | undefined;
      const stop = (error: Error) => {
        failure ??= error;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(
        () =>
          stop(
            new CaptureSourceError(
              `no frame within ${this.options.timeout_ms} ms`,
              'source_timeout',
              this.where(),
            ),
          ),
        this.options.timeout_ms,
      );
      const onAbort = () => stop(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.options.max_bytes) {
          stop(
            new CaptureSourceError(
              `frame larger than ${this.options.max_bytes} bytes`,
              'source_too_large',
              this.where(),
            ),
          );
        } else stdout.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
      });
      child.on('error', (error) => {
        stop(isCommandMissing(error) ? new FfmpegNotFoundError(this.command) : error);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (failure) return reject(failure);
        if (code !== 0) return reject(this.failed(`ffmpeg exited with code ${code}`, stderr));
        if (size === 0)
          return reject(
            new CaptureSourceError('ffmpeg produced no frame', 'source_empty', this.where()),
          );
        resolve(Buffer.concat(stdout, size));
      });
    });
  }

  private arguments(): string[] {
    const transport = /^rtsps?:/i.test(this.url) ? ['-rtsp_transport', this.options.transport] : [];
    return [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      ...transport,
      '-i',
      this.url,
      '-an',
      '-frames:v',
      '1',
      '-f',
      'image2',
      '-c:v',
      'mjpeg',
      '-q:v',
      '2',
      'pipe:1',
    ];
  }

  private failed(summary: string, stderr: string): CaptureSourceError {
    const detail = redact(stderr.trim().split('\n').slice(-3).join(' | '));
    return new CaptureSourceError(
      detail ? `${summary}: ${detail}` : summary,
      'source_failed',
      this.where(),
    );
  }

  /** The URL for messages and details, with any password masked. */
  private where(): Record<string, unknown> {
    return { url: redact(this.url) };
  }
}

/** The URL with the options' credentials in it (they win over any in the URL). */
function withCredentials(url: string, username?: string, password?: string): string {
  if (!username && !password) return url;
  const parsed = new URL(url);
  if (username) parsed.username = encodeURIComponent(username);
  if (password) parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** Masks the password of any URL inside `text` (ffmpeg echoes the input URL). */
function redact(text: string): string {
  return text.replace(/(\w+:\/\/[^:/@\s]*:)[^@/\s]*@/g, '$1***@');
}
