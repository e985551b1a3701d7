import { spawn } from 'node:child_process';
import { TimelapserError } from '../errors';

/**
 * The system's ffmpeg, found one way for everyone who runs it (the rtsp
 * source grabs frames with it, video export encodes with it):
 * TIMELAPSER_FFMPEG, else `ffmpeg` on PATH.
 */
export function ffmpegCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.TIMELAPSER_FFMPEG || 'ffmpeg';
}

/** ffmpeg is not installed (or TIMELAPSER_FFMPEG names nothing that runs). */
export class FfmpegNotFoundError extends TimelapserError {
  constructor(command: string) {
    super(
      `ffmpeg was not found (tried "${command}"): install it (e.g. apt-get install ffmpeg) or set TIMELAPSER_FFMPEG`,
      'ffmpeg_missing',
      500,
      { command },
    );
  }
}

/** A spawn error that means the command does not exist (or is not executable). */
export function isCommandMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'EACCES';
}

/**
 * ffmpeg's version line, or FfmpegNotFoundError: asked before work is
 * accepted, so a missing ffmpeg is a clear answer now rather than a failed job later.
 */
export function ffmpegVersion(command = ffmpegCommand()): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ['-hide_banner', '-version'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', (error) =>
      reject(isCommandMissing(error) ? new FfmpegNotFoundError(command) : error),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(out.split('\n', 1)[0]!.trim());
      else reject(new FfmpegNotFoundError(command));
    });
  });
}
