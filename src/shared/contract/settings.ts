import { z } from 'zod';

/**
 * Every setting, its type and its range: the spec's keys (generate_thumbnails …
 * thumbnail_cleanup_hours) plus quality, pool and safety settings. Shared so
 * the UI validates with the same rules as the core.
 */
const fields = {
  generate_thumbnails: z.boolean(),
  small_generation_mode: z.enum(['none', 'latest_only', 'all']),
  purge_smalls_on_completion: z.boolean(),
  thumbnail_job_batch_size: z.number().int().min(1).max(100),
  thumbnail_worker_interval: z.number().int().min(1).max(3600),
  thumbnail_max_retries: z.number().int().min(0).max(10),
  thumbnail_cleanup_hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365),
  thumbnail_quality: z.number().int().min(1).max(100),
  small_quality: z.number().int().min(1).max(100),
  /** Workers running sharp; 0 means one per CPU core. */
  thumbnail_pool_size: z.number().int().min(0).max(64),
  /**
   * Capture's corruption check. full decodes a tiny preview of every frame
   * (corrupt data, "no signal" frames); quick reads only the bytes and the
   * header (empty, truncated, not an image, too large or small): far cheaper
   * on many 4K cameras, and generation still refuses corrupt data.
   */
  corruption_check: z.enum(['full', 'quick']),
  /** Cleanup refuses to delete more than this share of thumbnails unless forced. */
  cleanup_safety_threshold: z.number().min(0).max(1),
};

export const settingsSchema = z.object(fields);
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;

export const DEFAULT_SETTINGS: Settings = {
  generate_thumbnails: true,
  small_generation_mode: 'all',
  purge_smalls_on_completion: false,
  thumbnail_job_batch_size: 5,
  thumbnail_worker_interval: 10,
  thumbnail_max_retries: 3,
  thumbnail_cleanup_hours: 24,
  thumbnail_quality: 80,
  small_quality: 85,
  thumbnail_pool_size: 0,
  corruption_check: 'full',
  cleanup_safety_threshold: 0.5,
};

export const SETTING_KEYS = Object.keys(fields) as SettingKey[];

/** A partial update: only the keys it names change (no defaults are filled in). */
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
