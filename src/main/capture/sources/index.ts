import type { CoreContext } from '../../context';
import type { CameraRow } from '../../database/types';
import { CaptureSourceError } from '../errors';
import { parseSourceConfig } from '../../catalogue/source-config';
import type { FrameSource } from '../types';
import { DemoSource } from './demo-source';
import { FolderSource, type IngestLedger } from './folder-source';
import { HttpSource } from './http-source';
import { RtspSource } from './rtsp-source';

export type SourceFactory = (camera: CameraRow) => FrameSource;

/** The source a camera row describes (its settings were checked when it was saved). */
export function sourceFactory(ctx: CoreContext): SourceFactory {
  return (camera) => {
    const config = parseSourceConfig(camera.source_type, camera.source_url, camera.source_options, {
      dataRoot: ctx.tree.root,
      requireUrl: true,
    });
    switch (config.source_type) {
      case 'demo':
        return new DemoSource(camera.id, config.options);
      case 'http':
        return new HttpSource(config.source_url, config.options);
      case 'rtsp':
        return new RtspSource(config.source_url, config.options);
      case 'folder':
        if (!config.source_url)
          throw new CaptureSourceError('folder camera has no watch folder', 'watch_folder_missing');
        return new FolderSource(config.source_url, config.options, ingestLedger(ctx, camera.id));
    }
  };
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
