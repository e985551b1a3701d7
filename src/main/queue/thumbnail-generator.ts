import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CoreContext } from '../context';
import type { VariantPaths } from '../database/operations/image-operations';
import type { ImageRow, JobRow } from '../database/types';
import { TimelapserError } from '../errors';
import { fileSize } from '../files/file-operations';
import type { FrameKey } from '../files/names';
import type { ThumbnailEngine } from '../imaging/thumbnail-engine';
import type { Settings } from '../../shared/contract';

/** What the generator needs of the image engine. */
export type ImageRenderer = Pick<ThumbnailEngine, 'generate'>;

export class ImageGoneError extends TimelapserError {
  readonly permanent = true;
  constructor(imageId: number) {
    super('Image no longer exists', 'image_gone', 404, { image_id: imageId });
  }
}

export interface Generation {
  image: ImageRow;
  paths: Partial<VariantPaths>;
  /** Set when latest_only made this image's small: the older smalls then go. */
  madeLatestSmall: boolean;
  skipped: boolean;
  inputBytes: number;
}

/**
 * One job's work, following the settings in force now: the thumbnail always;
 * the small when the job includes smalls and small_generation_mode is all, or
 * latest_only and this is the timelapse's newest frame. Idempotent: the same
 * job run twice writes the same files under the same names.
 */
export class ThumbnailGenerator {
  constructor(
    private readonly ctx: CoreContext,
    private readonly renderer: ImageRenderer,
  ) {}

  async generate(job: JobRow): Promise<Generation> {
    const image = this.ctx.ops.images.getById(job.image_id);
    if (!image) throw new ImageGoneError(job.image_id);
    const settings = this.ctx.settings.getAll();
    const wantSmall = this.wantsSmall(job, image, settings);
    if (!job.force_regenerate && (await this.upToDate(image, wantSmall))) {
      return { image, paths: {}, madeLatestSmall: false, skipped: true, inputBytes: 0 };
    }
    const key: FrameKey = {
      timelapseId: image.timelapse_id,
      day: image.day_number,
      clock: image.clock,
      seq: image.seq,
    };
    const thumbnailPath = this.ctx.tree.filePath(
      image.camera_id,
      image.timelapse_id,
      'thumbnail',
      key,
    );
    const smallPath = wantSmall
      ? this.ctx.tree.filePath(image.camera_id, image.timelapse_id, 'small', key)
      : null;
    const absoluteThumbnail = this.ctx.tree.resolve(thumbnailPath);
    const absoluteSmall = smallPath === null ? null : this.ctx.tree.resolve(smallPath);
    await mkdir(dirname(absoluteThumbnail), { recursive: true });
    if (absoluteSmall) await mkdir(dirname(absoluteSmall), { recursive: true });
    const result = await this.renderer.generate({
      sourcePath: this.ctx.tree.resolve(image.file_path),
      thumbnailPath: absoluteThumbnail,
      smallPath: absoluteSmall,
      thumbnailQuality: settings.thumbnail_quality,
      smallQuality: settings.small_quality,
      tempDirectory: this.ctx.tree.tempDirectory,
    });
    const paths: Partial<VariantPaths> = {
      thumbnail_path: thumbnailPath,
      thumbnail_size: result.thumbnail.size,
    };
    if (result.small && smallPath)
      Object.assign(paths, { small_path: smallPath, small_size: result.small.size });
    return {
      image,
      paths,
      madeLatestSmall: settings.small_generation_mode === 'latest_only' && result.small !== null,
      skipped: false,
      inputBytes: result.source.size,
    };
  }

  /** The rule "missing only" mirrors (MissingVariants): a test holds the two together. */
  private wantsSmall(job: JobRow, image: ImageRow, settings: Settings): boolean {
    const mode = settings.small_generation_mode;
    if (!job.include_smalls || mode === 'none') return false;
    // Smalls of a completed timelapse were purged on purpose: never made again.
    if (
      settings.purge_smalls_on_completion &&
      this.ctx.ops.timelapses.getById(image.timelapse_id)?.status === 'completed'
    )
      return false;
    if (mode === 'all') return true;
    return this.ctx.ops.images.latestForTimelapse(image.timelapse_id)?.id === image.id;
  }

  /** Paths already set and their files present: nothing to do without force. */
  private async upToDate(image: ImageRow, wantSmall: boolean): Promise<boolean> {
    if (
      !image.thumbnail_path ||
      (await fileSize(this.ctx.tree.resolve(image.thumbnail_path))) === null
    )
      return false;
    if (!wantSmall) return true;
    return !!image.small_path && (await fileSize(this.ctx.tree.resolve(image.small_path))) !== null;
  }
}
