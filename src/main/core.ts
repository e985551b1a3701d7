import { existsSync } from 'node:fs';
import type { ImportFolderResult } from '../shared/capture-types';
import {
  CameraService,
  CaptureWorker,
  importFolder,
  TimelapseService,
  type CaptureDependencies,
  type ImportFolderOptions,
} from './capture';
import type { CoreContext } from './context';
import { startCheckpointer } from './database/checkpointer';
import { closeDatabase, openDatabase, type OpenDatabaseOptions } from './database/connection';
import { createOperations } from './database/operations';
import { EventBus } from './events/event-bus';
import { DataTree } from './files/data-tree';
import { sweepTempFiles } from './files/file-operations';
import { ThumbnailEngine } from './imaging/thumbnail-engine';
import { LibraryService } from './library/library-service';
import { ThumbnailService } from './maintenance/thumbnail-service';
import { SmallRetention } from './queue/small-retention';
import { ThumbnailGenerator } from './queue/thumbnail-generator';
import { ThumbnailJobService } from './queue/thumbnail-job-service';
import { ThumbnailPerformanceService } from './queue/thumbnail-performance-service';
import { ThumbnailWorker } from './queue/thumbnail-worker';
import { SettingsService } from './settings/settings-service';

export interface CoreOptions extends OpenDatabaseOptions {
  dataRoot: string;
  /** sharp workers; default: the thumbnail_pool_size setting (0 = one per core). */
  poolSize?: number;
}

/** Folder import with the core's own corruption check and queue hook filled in. */
export type FolderImport = (
  options: Omit<ImportFolderOptions, keyof CaptureDependencies>,
) => Promise<ImportFolderResult>;

/** The Electron-free core over one data root: database, file tree and every service. */
export interface Core extends CoreContext {
  /** The library was created by this open: the app and `serve` then add demo cameras. */
  firstStart: boolean;
  library: LibraryService;
  engine: ThumbnailEngine;
  jobs: ThumbnailJobService;
  retention: SmallRetention;
  performance: ThumbnailPerformanceService;
  worker: ThumbnailWorker;
  thumbnails: ThumbnailService;
  cameras: CameraService;
  timelapses: TimelapseService;
  capture: CaptureWorker;
  importFolder: FolderImport;
  /** Starts the background workers (the app and `serve`; one-shot CLI commands do not). */
  start(): void;
  /** Stops capture and the workers, drains the pool and closes the database cleanly. */
  close(): Promise<void>;
}

export async function openCore(options: CoreOptions): Promise<Core> {
  const tree = new DataTree(options.dataRoot);
  await sweepTempFiles(tree.tempDirectory);
  const firstStart = !existsSync(tree.databasePath);
  const db = openDatabase(tree.databasePath, options);
  const checkpointer = startCheckpointer(db, {
    file: tree.databasePath,
    nativeBinding: options.nativeBinding,
  });
  const ops = createOperations(db);
  const settings = new SettingsService(db);
  const context: CoreContext = { db, ops, tree, settings, events: new EventBus() };
  const library = new LibraryService(ops, tree);

  const engine = new ThumbnailEngine({
    poolSize: options.poolSize ?? settings.get('thumbnail_pool_size'),
  });
  const jobs = new ThumbnailJobService(context);
  const retention = new SmallRetention(context);
  const performance = new ThumbnailPerformanceService(context);
  const worker = new ThumbnailWorker(context, {
    jobs,
    generator: new ThumbnailGenerator(context, engine),
    retention,
    performance,
    capacity: () => engine.stats.capacity,
    poolStats: () => engine.stats,
  });
  const thumbnails = new ThumbnailService(context, {
    throughput: () => performance.throughputPerSecond(),
  });

  // Capture checks every frame in the engine's pool and hands saved frames to the queue.
  const captureDependencies: CaptureDependencies = {
    validateFrame: (bytes) =>
      engine.validate(bytes, {
        depth: settings.get('corruption_check') === 'quick' ? 'header' : 'pixels',
      }),
    afterCapture: (image, camera) => void jobs.queueAfterCapture(image, camera),
  };
  const capture = new CaptureWorker(context, captureDependencies);

  let closing: Promise<void> | undefined;
  return {
    ...context,
    firstStart,
    library,
    engine,
    jobs,
    retention,
    performance,
    worker,
    thumbnails,
    cameras: new CameraService(context, library),
    timelapses: new TimelapseService(context, library, {
      onTimelapseCompleted: (id) => retention.onTimelapseCompleted(id),
    }),
    capture,
    // An import is bulk work: its frames queue low, behind live captures.
    importFolder: (importOptions) =>
      importFolder(context, {
        ...importOptions,
        ...captureDependencies,
        afterCapture: (image, camera) => void jobs.queueAfterCapture(image, camera, 'low'),
      }),
    start() {
      worker.start();
      thumbnails.start();
      capture.start();
    },
    close() {
      closing ??= (async () => {
        await capture.stop();
        await thumbnails.close();
        await worker.stop();
        await engine.close();
        await checkpointer.stop();
        closeDatabase(db);
      })();
      return closing;
    },
  };
}
