import { existsSync } from 'node:fs';
import type { ImportFolderResult } from '../shared/contract';
import { CaptureWorker, type CaptureWorkerOptions } from './capture/capture-worker';
import { sourceProbe } from './capture/probe';
import { CameraService } from './catalogue/camera-service';
import { ensureDemoCameras } from './catalogue/demo-cameras';
import { LibraryService } from './catalogue/library-service';
import { TimelapseService } from './catalogue/timelapse-service';
import type { Host } from './api/host';
import type { CoreContext } from './context';
import { startCheckpointer } from './database/checkpointer';
import { closeDatabase, openDatabase, type OpenDatabaseOptions } from './database/connection';
import { createOperations } from './database/operations';
import { EventBus } from './events/event-bus';
import { DataTree } from './files/data-tree';
import { DiskSpaceGuard, type DiskSpaceGuardOptions } from './files/disk-space';
import { sweepTempFiles } from './files/file-operations';
import { ThumbnailEngine } from './imaging/thumbnail-engine';
import { FrameAdopter } from './ingest/adopt-orphans';
import { FramePipeline } from './ingest/frame-pipeline';
import { importFolder, type ImportFolderOptions } from './ingest/import-folder';
import type { IngestDependencies } from './ingest/types';
import { defaultLogger, type Logger } from './logging/logger';
import { ThumbnailService, type ThumbnailServiceOptions } from './maintenance/thumbnail-service';
import { isLeaseOwnerDead } from './system/lease-owner';
import { SmallRetention } from './queue/small-retention';
import { ThumbnailGenerator } from './queue/thumbnail-generator';
import { ThumbnailJobService } from './queue/thumbnail-job-service';
import { ThumbnailPerformanceService } from './queue/thumbnail-performance-service';
import { ThumbnailWorker } from './queue/thumbnail-worker';
import { ImageService } from './serving/image-service';
import { VideoFileService } from './serving/video-file-service';
import { SettingsService } from './settings/settings-service';
import { tokenStore, type TokenStore } from './settings/token-store';
import { VideoService, type VideoServiceOptions } from './video/video-service';

export interface CoreOptions extends OpenDatabaseOptions {
  dataRoot: string;
  /** sharp workers; default: the thumbnail_pool_size setting (0 = one per core). */
  poolSize?: number;
  /** An engine the caller owns and closes (tests share one per file); default: the core's own. */
  engine?: ThumbnailEngine;
  /** The capture worker's sources, backoff and tick probe (tests and the capture bench). */
  capture?: Omit<CaptureWorkerOptions, 'ingest'>;
  /** The image shown when no variant exists (default: resources/placeholder.jpg). */
  placeholderPath?: string;
  /** Regeneration pacing and the orphan scan's age (tests and the maintenance bench). */
  maintenance?: Omit<ThumbnailServiceOptions, 'throughput' | 'ownership' | 'adoptFrame'>;
  /** How often the free-space guard measures (tests). */
  disk?: Pick<DiskSpaceGuardOptions, 'intervalMs' | 'pausedIntervalMs'>;
  /** The ffmpeg that renders videos, and how renders are polled and recovered (tests). */
  video?: VideoServiceOptions;
  /** Where the core logs: the app's file, `serve`'s stderr; default defaultLogger() (silent under vitest). */
  logger?: Logger;
}

const MB = 1024 * 1024;

/** Folder import: the pipeline (queueing low, behind live captures) and the catalogue filled in. */
export type FolderImport = (options: ImportFolderOptions) => Promise<ImportFolderResult>;

/** The Electron-free core over one data root: database, file tree and every service. */
export interface Core extends CoreContext, Host {
  events: CoreContext['events'];
  library: LibraryService;
  engine: ThumbnailEngine;
  jobs: ThumbnailJobService;
  retention: SmallRetention;
  performance: ThumbnailPerformanceService;
  worker: ThumbnailWorker;
  thumbnails: ThumbnailService;
  cameras: CameraService;
  timelapses: TimelapseService;
  /** Live frames' way in (their jobs queue medium). */
  pipeline: FramePipeline;
  capture: CaptureWorker;
  importFolder: FolderImport;
  /** Image serving for HTTP and the app's protocol: the fallback chain, ETags, 304s. */
  images: ImageService;
  /** MP4 export: render jobs, their files, the foreground render of the CLI. */
  videos: VideoService;
  /** A rendered video's file for HTTP and the app's protocol, with byte ranges. */
  videoFiles: VideoFileService;
  tokens: TokenStore;
}

/** The composition root: the only place that builds the core's services and wires them together. */
export async function openCore(options: CoreOptions): Promise<Core> {
  const log = options.logger ?? defaultLogger();
  const tree = new DataTree(options.dataRoot);
  const firstStart = !existsSync(tree.databasePath);
  const db = openDatabase(tree.databasePath, options);
  const ops = createOperations(db);
  const settings = new SettingsService(db);
  const events = new EventBus(log.child({ component: 'events' }));
  const disk = new DiskSpaceGuard(tree.root, {
    ...options.disk,
    minFreeBytes: () => settings.get('min_free_space_mb') * MB,
    onChange: (status) => events.emit({ type: 'storage_changed', ...status }),
    log: log.child({ component: 'storage' }),
  });
  await disk.check();
  disk.start();
  const stopFollowingSettings = events.on('settings_changed', () => void disk.check());
  const checkpointer = startCheckpointer(db, {
    file: tree.databasePath,
    nativeBinding: options.nativeBinding,
    onDiskFull: (error) => disk.reportFull(error),
    log: log.child({ component: 'database' }),
  });
  const context: CoreContext = { db, ops, tree, settings, events, disk, log };

  const library = new LibraryService(ops, tree, log.child({ component: 'catalogue' }));
  const engine =
    options.engine ??
    new ThumbnailEngine({
      poolSize: options.poolSize ?? settings.get('thumbnail_pool_size'),
      log: log.child({ component: 'imaging' }),
    });
  // The ETAs use the throughput the performance service measures (built just below).
  const jobs = new ThumbnailJobService(context, {
    throughput: () => performance.throughputPerSecond(),
  });
  const retention = new SmallRetention(context);
  const performance = new ThumbnailPerformanceService(context);
  const worker = new ThumbnailWorker(context, {
    jobs,
    generator: new ThumbnailGenerator(context, engine),
    retention,
    performance,
    capacity: () => engine.stats.keep_in_flight,
    poolStats: () => engine.stats,
  });
  // cameras.test checks its frame as capture checks every frame.
  const cameras = new CameraService(
    context,
    library,
    sourceProbe((bytes, signal) => engine.validate(bytes, { depth: 'pixels' }, signal)),
  );
  const timelapses = new TimelapseService(context, library, {
    onTimelapseCompleted: (id) => retention.onTimelapseCompleted(id),
  });

  // Every frame is checked (and a PNG/WebP one converted) in the engine's pool; saved frames go to the queue.
  const frameCheck: Pick<IngestDependencies, 'validateFrame' | 'convertToJpeg'> = {
    validateFrame: (bytes) =>
      engine.validate(bytes, {
        depth: settings.get('corruption_check') === 'quick' ? 'header' : 'pixels',
      }),
    convertToJpeg: (bytes, quality) => engine.convertToJpeg(bytes, quality),
  };
  const pipeline = new FramePipeline(context, {
    ...frameCheck,
    afterCapture: (image, camera) => void jobs.queueAfterCapture(image, camera),
  });
  const importPipeline = new FramePipeline(context, {
    ...frameCheck,
    afterCapture: (image, camera) => void jobs.queueAfterCapture(image, camera, 'low'),
  });
  const videos = new VideoService(context, options.video);
  const capture = new CaptureWorker(context, {
    ...options.capture,
    ingest: (frame) => pipeline.ingest(frame),
  });

  // Frame files without a row get it back: at start-up (below) and in verify.
  const adopter = new FrameAdopter(context, {
    ...frameCheck,
    afterCapture: (image, camera) => void jobs.queueAfterCapture(image, camera),
  });
  const thumbnails = new ThumbnailService(context, {
    ...options.maintenance,
    throughput: () => performance.throughputPerSecond(),
    // Regeneration sessions are owned like jobs, by the same lease owner.
    ownership: { owner: jobs.owner, isDead: (owner) => isLeaseOwnerDead(owner, jobs.owner) },
    adoptFrame: (file) => adopter.adopt(file),
  });

  // A kill between a frame's file and its row left the file's temp twin behind: adopt, then sweep.
  const interrupted = await adopter.adoptInterruptedWrites();
  await sweepTempFiles(tree.tempDirectory, interrupted.keep);

  const coreLog = log.child({ component: 'core' });
  coreLog.info({ data_root: tree.root, first_start: firstStart }, 'library opened');
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
    cameras,
    timelapses,
    pipeline,
    capture,
    importFolder: (importOptions) =>
      importFolder(context, { pipeline: importPipeline, cameras, timelapses }, importOptions),
    images: new ImageService(context, options.placeholderPath),
    videos,
    videoFiles: new VideoFileService(context),
    tokens: tokenStore(ops),
    // A newcomer's first start shows a live wall of demo cameras at once.
    ensureDemoCameras: () => void ensureDemoCameras(context),
    whenRegenerationQueued: () => thumbnails.whenQueued(),
    /** Starts the background workers (the app and `serve`; one-shot CLI commands do not). */
    start() {
      worker.start();
      thumbnails.start();
      capture.start();
      videos.start();
    },
    /** Stops capture and the workers, drains the pool and closes the database cleanly. */
    close() {
      closing ??= (async () => {
        await videos.stop();
        await capture.stop();
        await thumbnails.close();
        await worker.stop();
        performance.close();
        if (!options.engine) await engine.close();
        await checkpointer.stop();
        stopFollowingSettings();
        disk.stop();
        closeDatabase(db, log.child({ component: 'database' }));
        coreLog.info({ data_root: tree.root }, 'library closed');
      })();
      return closing;
    },
  };
}
