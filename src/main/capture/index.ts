/** Cameras, timelapse sessions, the capture worker and folder import. */
export { CameraService } from './camera-service';
export { TimelapseService, type TimelapseHooks } from './timelapse-service';
export { CaptureWorker, type CaptureWorkerOptions } from './capture-worker';
export type { CaptureTick } from './camera-runner';
export { FramePipeline, type FrameInput, type IngestOutcome } from './frame-pipeline';
export { importFolder, type ImportFolderOptions } from './import-folder';
export { ensureDemoCameras, DEMO_INTERVAL_S } from './demo-cameras';
export { dayNumber } from './day-number';
export { CaptureSourceError, FfmpegNotFoundError, type CaptureErrorCode } from './errors';
export type { AfterCapture, CaptureDependencies, FrameVerdict, ValidateFrame } from './types';
