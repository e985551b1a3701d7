import { z } from 'zod';

/**
 * Every setting, its type, its range and its default: the spec's keys
 * (generate_thumbnails … thumbnail_cleanup_hours) plus quality, pool and
 * safety settings. Shared so the UI validates with the same rules as the core.
 */
export const settingsSchema = z.object({
  generate_thumbnails: z.boolean().default(true),
  small_generation_mode: z.enum(['none', 'latest_only', 'all']).default('all'),
  purge_smalls_on_completion: z.boolean().default(false),
  thumbnail_job_batch_size: z.number().int().min(1).max(100).default(5),
  thumbnail_worker_interval: z.number().int().min(1).max(3600).default(10),
  thumbnail_max_retries: z.number().int().min(0).max(10).default(3),
  thumbnail_cleanup_hours: z.number().int().min(1).max(24 * 365).default(24),
  thumbnail_quality: z.number().int().min(1).max(100).default(80),
  small_quality: z.number().int().min(1).max(100).default(85),
  /** Workers running sharp; 0 means one per CPU core. */
  thumbnail_pool_size: z.number().int().min(0).max(64).default(0),
  /** Cleanup refuses to delete more than this share of thumbnails unless forced. */
  cleanup_safety_threshold: z.number().min(0).max(1).default(0.5),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(settingsSchema.shape) as SettingKey[];
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
