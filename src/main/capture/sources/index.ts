import type { CoreContext } from '../../context';
import type { CameraRow } from '../../database/types';
import { CaptureSourceError } from '../errors';
import { parseSourceConfig, type SourceConfig } from '../../catalogue/source-config';
import type { FrameSource } from '../types';
import { DemoSource } from './demo-source';
import { FolderSource, type IngestLedger } from './folder-source';
import { HttpSource } from './http-source';
import { RtspSource } from './rtsp-source';

export type SourceFactory = (camera: CameraRow) => FrameSource;

/** The source a camera row describes (its settings were checked when it was saved). */
export function sourceFactory(ctx: CoreContext): SourceFactory {
  return (camera) =>
    createSource(
      parseSourceConfig(camera.source_type, camera.source_url, camera.source_options, {
        dataRoot: ctx.tree.root,
        requireUrl: true,
      }),
      camera.id,
      ingestLedger(ctx, camera.id),
    );
}

/**
 * The source for checked settings; `seed` varies a demo camera's scene. A
 * watch folder needs its camera's ledger (null only when testing settings,
 * where a folder is looked at, never watched).
 */
export function createSource(
  config: SourceConfig,
  seed: number,
  ledger: IngestLedger | null,
): FrameSource {
  switch (config.source_type) {
    case 'demo':
      return new DemoSource(seed, config.options);
    case 'http':
      return new HttpSource(config.source_url, config.options);
    case 'rtsp':
      return new RtspSource(config.source_url, config.options);
    case 'folder':
      if (!config.source_url)
        throw new CaptureSourceError('folder camera has no watch folder', 'watch_folder_missing');
      if (!ledger) throw new Error('a watch folder is only watched with its camera’s ledger');
      return new FolderSource(config.source_url, config.options, ledger);
  }
}

/** A folder camera's record of the files it took, in the library's database. */
function ingestLedger(ctx: CoreContext, cameraId: number): IngestLedger {
  return {
    has: (file) => ctx.ops.ingestedFiles.has({ camera_id: cameraId, ...file }),
    recordRejected: (file) => {
      try {
        ctx.ops.ingestedFiles.record({ camera_id: cameraId, ...file }, 'rejected', null);
      } catch (error) {
        ctx.log.warn(
          { err: error, component: 'capture', camera_id: cameraId, path: file.path },
          'recording a refused file failed',
        );
      }
    },
  };
}
