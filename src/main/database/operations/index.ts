import type { SqliteDatabase } from '../connection';
import { CameraOperations } from './camera-operations';
import { CensusOperations } from './census-operations';
import { ImageOperations } from './image-operations';
import { IngestedFileOperations } from './ingested-file-operations';
import { RegenerationSessionOperations } from './regeneration-session-operations';
import { RejectionOperations } from './rejection-operations';
import { SettingsOperations } from './settings-operations';
import { ThumbnailJobOperations } from './thumbnail-job-operations';
import { TimelapseOperations } from './timelapse-operations';
import { VideoOperations } from './video-operations';

/** Every table's operations over one connection. */
export interface Operations {
  cameras: CameraOperations;
  timelapses: TimelapseOperations;
  images: ImageOperations;
  jobs: ThumbnailJobOperations;
  settings: SettingsOperations;
  sessions: RegenerationSessionOperations;
  rejections: RejectionOperations;
  videos: VideoOperations;
  census: CensusOperations;
  ingestedFiles: IngestedFileOperations;
}

export function createOperations(db: SqliteDatabase): Operations {
  return {
    cameras: new CameraOperations(db),
    timelapses: new TimelapseOperations(db),
    images: new ImageOperations(db),
    jobs: new ThumbnailJobOperations(db),
    settings: new SettingsOperations(db),
    sessions: new RegenerationSessionOperations(db),
    rejections: new RejectionOperations(db),
    videos: new VideoOperations(db),
    census: new CensusOperations(db),
    ingestedFiles: new IngestedFileOperations(db),
  };
}
