import type { ImportFolderResult } from '../../shared/capture-types';
import type { CameraService, CaptureDependencies, CaptureWorker, ImportFolderOptions, TimelapseService } from '../capture';
import type { Core } from '../core';
import type { ThumbnailService } from '../maintenance/thumbnail-service';
import type { ThumbnailJobService } from '../queue/thumbnail-job-service';
import type { ThumbnailPerformanceService } from '../queue/thumbnail-performance-service';
import type { ThumbnailWorker } from '../queue/thumbnail-worker';
import { ServiceUnavailableError } from './errors';

/** Folder import with the core's own capture dependencies filled in. */
export type FolderImport = (options: Omit<ImportFolderOptions, keyof CaptureDependencies>) => Promise<ImportFolderResult>;

/** Parts of the core the API uses, by the names the core gives them. */
export interface OptionalParts {
  jobs: ThumbnailJobService;
  worker: ThumbnailWorker;
  performance: ThumbnailPerformanceService;
  thumbnails: ThumbnailService;
  cameras: CameraService;
  timelapses: TimelapseService;
  capture: CaptureWorker;
  importFolder: FolderImport;
}

/**
 * The core as the API sees it. Parts the core was opened without answer 503
 * (requirePart), so a core built without capture still serves everything else.
 */
export type ApiCore = Core & Partial<OptionalParts>;

const LABELS: Record<keyof OptionalParts, string> = {
  jobs: 'The thumbnail job queue',
  worker: 'The thumbnail worker',
  performance: 'The thumbnail performance service',
  thumbnails: 'Thumbnail maintenance (the thumbnail service)',
  cameras: 'Camera management (the capture service)',
  timelapses: 'Timelapse sessions (the capture service)',
  capture: 'The capture worker',
  importFolder: 'Folder import (the capture service)',
};

/** A part of the core, or a 503 naming the missing part. */
export function requirePart<K extends keyof OptionalParts>(core: ApiCore, key: K): OptionalParts[K] {
  const value = core[key];
  if (!value) throw new ServiceUnavailableError(LABELS[key]);
  return value as OptionalParts[K];
}
