import type { CameraRow } from '../../database/types';
import { CaptureSourceError } from '../errors';
import { parseSourceConfig, type SourceConfig } from '../../catalogue/source-config';
import type { FrameSource } from '../types';
import { DemoSource } from './demo-source';
import { FolderSource } from './folder-source';
import { HttpSource } from './http-source';
import { RtspSource } from './rtsp-source';

export type SourceFactory = (camera: CameraRow) => FrameSource;

/** The source a camera row describes (its settings were checked when it was saved). */
export function sourceFactory(dataRoot: string): SourceFactory {
  return (camera) =>
    createSource(
      parseSourceConfig(camera.source_type, camera.source_url, camera.source_options, {
        dataRoot,
        requireUrl: true,
      }),
      camera.id,
    );
}

/** The source for checked settings; `seed` varies a demo camera's scene. */
export function createSource(config: SourceConfig, seed: number): FrameSource {
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
      return new FolderSource(config.source_url, config.options);
  }
}
