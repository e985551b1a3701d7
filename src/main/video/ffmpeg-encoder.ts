import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { TimelapserError } from '../errors';
import { FfmpegNotFoundError, isCommandMissing } from '../system/ffmpeg';
import { COMMAND_NOT_FOUND_EXIT, spawnTied } from '../system/tied-process';

/**
 * The MP4 every export is: H.264 in yuv420p (what every browser and player
 * decodes), its index at the front (+faststart) so playback starts before
 * the download ends. The benchmark runs ffmpeg by hand with these same settings.
 */
export const ENCODER_SETTINGS = [
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-crf',
  '21',
  '-pix_fmt',
  'yuv420p',
  '-movflags',
  '+faststart',
] as const;

/** ffmpeg runs below capture and the UI: a render may take every spare cycle, never theirs. */
const ENCODER_NICENESS = 10;
const STDERR_TAIL = 2_000;

export interface EncodeOptions {
  command: string;
  /** An ffconcat list of the frames' files. */
  listPath: string;
  outputPath: string;
  fps: number;
  width: number;
  height: number;
  /** Frames encoded so far, as ffmpeg reports them (about twice a second). */
  onProgress(framesDone: number): void;
  signal: AbortSignal;
}

/** ffmpeg ran and failed: its last words. */
export class EncodeError extends TimelapserError {
  constructor(message: string) {
    super(message, 'render_failed', 500);
  }
}

/** The ffmpeg arguments of a render: the listed frames at `fps`, each fitted and padded into width×height. */
export function encoderArguments(
  options: Omit<EncodeOptions, 'command' | 'onProgress' | 'signal'>,
): string[] {
  const { width, height, fps } = options;
  const fit = [
    `scale=${width}:${height}:force_original_aspect_ratio=decrease`,
    `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2`,
    'setsar=1',
  ].join(',');
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-f',
    'concat',
    '-safe',
    '0',
    // As an input option: one listed file per frame, at this rate, whatever the files' timestamps.
    '-r',
    String(fps),
    '-i',
    options.listPath,
    '-an',
    '-vf',
    fit,
    ...ENCODER_SETTINGS,
    '-progress',
    'pipe:1',
    '-nostats',
    '-f',
    'mp4',
    options.outputPath,
  ];
}

/**
 * Runs ffmpeg over the list into `outputPath`, reporting frames as it goes.
 * The abort signal kills it at once, and it dies with this process, so no
 * render outlives the process that owns it.
 */
export function encode(options: EncodeOptions): Promise<void> {
  options.signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = spawnTied(options.command, encoderArguments(options));
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, ENCODER_NICENESS);
      } catch {
        // not permitted here: it runs at normal priority
      }
    }
    let stderr = '';
    let failure: unknown;
    const stop = (error: unknown) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const onAbort = () => stop(options.signal.reason);
    options.signal.addEventListener('abort', onAbort, { once: true });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^frame=(\d+)$/.exec(line.trim());
      if (match) options.onProgress(Number(match[1]));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    child.on('error', (error) =>
      stop(isCommandMissing(error) ? new FfmpegNotFoundError(options.command) : error),
    );
    child.on('close', (code, signal) => {
      options.signal.removeEventListener('abort', onAbort);
      if (failure !== undefined) return reject(failure);
      if (code === 0) return resolve();
      if (code === COMMAND_NOT_FOUND_EXIT) return reject(new FfmpegNotFoundError(options.command));
      const detail = stderr.trim().split('\n').slice(-3).join(' | ');
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      reject(new EncodeError(detail ? `ffmpeg ${how}: ${detail}` : `ffmpeg ${how}`));
    });
  });
}
