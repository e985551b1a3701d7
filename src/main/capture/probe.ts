import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import type { CameraTestResult } from '../../shared/contract';
import type { SourceProbe } from '../catalogue/camera-service';
import type { SourceConfig } from '../catalogue/source-config';
import type { FrameVerdict } from '../imaging/frame-validator';
import { CaptureSourceError } from './errors';
import { createSource } from './sources';

/** The image engine's corruption check, the one capture applies to every frame. */
export type FrameCheck = (bytes: Buffer, signal?: AbortSignal) => Promise<FrameVerdict>;

const FRAME_FILE = /\.jpe?g$/i;
/** A test never waits longer than this, whatever the source's own timeout. */
const PROBE_TIMEOUT_MS = 30_000;

/**
 * `cameras.test`: one frame through the very source capture would use, checked
 * as capture checks it, so what the form shows is what capture would store. A
 * folder is only looked at (exists, is a folder, how many JPEGs, writable):
 * testing must not become a way to read files off this machine.
 */
export function sourceProbe(check: FrameCheck): SourceProbe {
  return async (config, { preview, signal }) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    if (config.source_type === 'folder')
      return { ...(await lookAtFolder(config)), elapsed_ms: elapsed() };
    const source = createSource(config, 0, null);
    if (source.kind !== 'poll') throw new Error(`a ${config.source_type} source does not poll`);
    const limit = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    const bytes = await source.grab(signal ? AbortSignal.any([signal, limit]) : limit);
    const verdict = await check(bytes, signal);
    if (!verdict.ok) {
      throw new CaptureSourceError(
        `the camera answered, but capture would refuse the frame: ${verdict.message}`,
        'source_not_a_frame',
        { reason: verdict.reason, size: bytes.length },
      );
    }
    const result: CameraTestResult = {
      source_type: config.source_type,
      width: verdict.width,
      height: verdict.height,
      size: verdict.size,
      format: verdict.format,
      elapsed_ms: elapsed(),
      preview: preview ? `data:image/${verdict.format};base64,${bytes.toString('base64')}` : null,
    };
    return result;
  };
}

async function lookAtFolder(
  config: Extract<SourceConfig, { source_type: 'folder' }>,
): Promise<Omit<Extract<CameraTestResult, { source_type: 'folder' }>, 'elapsed_ms'>> {
  const folder = config.source_url!;
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) {
    throw new CaptureSourceError(
      `watch folder ${folder} does not exist or is not a folder`,
      'watch_folder_missing',
      { folder },
    );
  }
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    throw new CaptureSourceError(
      `watch folder ${folder} cannot be read (${error.code ?? error.message})`,
      'watch_folder_missing',
      { folder },
    );
  });
  const writable = await access(folder, constants.W_OK).then(
    () => true,
    () => false,
  );
  return {
    source_type: 'folder',
    folder,
    jpeg_files: names.filter((name) => FRAME_FILE.test(name) && !name.startsWith('.')).length,
    writable,
  };
}
