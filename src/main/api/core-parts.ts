import type { Core } from '../core';
import type { ThumbnailJobService } from '../queue/thumbnail-job-service';
import type { ThumbnailPerformanceService } from '../queue/thumbnail-performance-service';
import type { ThumbnailWorker } from '../queue/thumbnail-worker';
import { ServiceUnavailableError } from './errors';

/** Parts of the core the API uses when the core has them. */
export interface OptionalParts {
  jobs: ThumbnailJobService;
  worker: ThumbnailWorker;
  performance: ThumbnailPerformanceService;
}

/** The core as the API sees it: every part the core was opened with. */
export type ApiCore = Core & Partial<OptionalParts>;

const LABELS: Record<keyof OptionalParts, string> = {
  jobs: 'The thumbnail job queue',
  worker: 'The thumbnail worker',
  performance: 'The thumbnail performance service',
};

/** A part of the core, or a 503 naming the missing part. */
export function requirePart<K extends keyof OptionalParts>(core: ApiCore, key: K): OptionalParts[K] {
  const value = core[key];
  if (!value) throw new ServiceUnavailableError(LABELS[key]);
  return value as OptionalParts[K];
}
