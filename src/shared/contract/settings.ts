import { z } from 'zod';

/**
 * Every setting, declared once: its type and range (zod), its default, and
 * how people see it (label, help, the words for each choice). The core
 * validates with these schemas; the settings form is built from them, and its
 * help shows the range the schema enforces.
 */
export interface SettingMeta {
  label: string;
  help: string;
  /** Words for each value of a choice setting, in the form's order. */
  choices?: Record<string, string>;
  /** The number input's step (default 1). */
  step?: number;
}

/** Where each setting's words live (a zod registry, so they stay beside the schema). */
export const settingMeta = z.registry<SettingMeta>();

function setting<S extends z.ZodType>(schema: S, meta: SettingMeta): S {
  settingMeta.add(schema, meta);
  return schema;
}

const fields = {
  generate_thumbnails: setting(z.boolean(), {
    label: 'Generate thumbnails',
    help: 'Queue a thumbnail job for every good capture.',
  }),
  small_generation_mode: setting(z.enum(['none', 'latest_only', 'all']), {
    label: 'Small images (800×600)',
    help: 'Smalls make larger tiles and the frame viewer sharp.',
    choices: {
      all: 'All: a small for every image',
      latest_only: 'Latest only: keep just the newest small',
      none: 'None: saves about half the thumbnail disk space',
    },
  }),
  purge_smalls_on_completion: setting(z.boolean(), {
    label: 'Purge smalls when a timelapse completes',
    help: 'Thumbnails stay; smalls of finished sessions are deleted.',
  }),
  thumbnail_quality: setting(z.number().int().min(1).max(100), {
    label: 'Thumbnail JPEG quality',
    help: 'Higher is sharper and larger.',
  }),
  small_quality: setting(z.number().int().min(1).max(100), {
    label: 'Small JPEG quality',
    help: 'Higher is sharper and larger.',
  }),
  thumbnail_job_batch_size: setting(z.number().int().min(1).max(100), {
    label: 'Jobs per batch',
    help: 'Jobs the worker claims at once.',
  }),
  thumbnail_worker_interval: setting(z.number().int().min(1).max(3600), {
    label: 'Worker interval (s)',
    help: 'How often an idle worker looks for jobs.',
  }),
  thumbnail_max_retries: setting(z.number().int().min(0).max(10), {
    label: 'Retries per job',
    help: 'Attempts before a job is marked failed.',
  }),
  thumbnail_cleanup_hours: setting(
    z
      .number()
      .int()
      .min(1)
      .max(24 * 365),
    {
      label: 'Keep finished jobs (h)',
      help: 'Completed and failed jobs older than this are removed.',
    },
  ),
  /** Workers running sharp; 0 means one per CPU core. */
  thumbnail_pool_size: setting(z.number().int().min(0).max(64), {
    label: 'Image workers',
    help: '0 means one per CPU core.',
  }),
  /**
   * Capture's corruption check. full decodes a tiny preview of every frame
   * (corrupt data, "no signal" frames); quick reads only the bytes and the
   * header (empty, truncated, not an image, too large or small): far cheaper
   * on many 4K cameras, and generation still refuses corrupt data.
   */
  corruption_check: setting(z.enum(['full', 'quick']), {
    label: 'Corruption check on capture',
    help: "What is not a frame is refused and listed in the camera's rejection log.",
    choices: {
      full: 'Full: also catches corrupt data and flags "no signal" frames',
      quick: 'Quick: header and end marker only, for many 4K cameras',
    },
  }),
  // -- frame keeping (issue 15)
  /**
   * A real frame that looks wrong: a flat "no signal" screen or one smaller
   * than a camera frame. Kept (flagged, with thumbnails) unless discard is chosen.
   */
  flagged_frames: setting(z.enum(['keep', 'discard']), {
    label: 'Frames that look wrong',
    help: 'Flat "no signal" screens and frames smaller than a camera frame.',
    choices: {
      keep: 'Keep and flag them: the timelapse has no holes',
      discard: "Discard them (each listed in the camera's rejection log)",
    },
  }),
  /** PNG and WebP snapshots (some cameras and recorders send them) are stored as JPEG of this quality. */
  converted_frame_quality: setting(z.number().int().min(1).max(100), {
    label: 'JPEG quality of PNG/WebP frames',
    help: 'Frames sent as PNG or WebP are stored as JPEG.',
  }),
  /** Cleanup refuses to delete more than this share of thumbnails unless forced. */
  cleanup_safety_threshold: setting(z.number().min(0).max(1), {
    label: 'Cleanup safety threshold',
    help: 'Refuse a cleanup that would delete more than this share of thumbnails.',
    step: 0.05,
  }),
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
  flagged_frames: 'keep',
  converted_frame_quality: 92,
  cleanup_safety_threshold: 0.5,
};

/** The form's order. */
export const SETTING_KEYS = Object.keys(fields) as SettingKey[];

/** A partial update: only the keys it names change (no defaults are filled in). */
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** A setting as a form shows it: its words and what the schema allows. */
export interface SettingField extends SettingMeta {
  key: SettingKey;
  kind: 'boolean' | 'number' | 'choice';
  /** For numbers: the schema's bounds. */
  min?: number;
  max?: number;
  /** For choices: the schema's values with their words. */
  options?: { value: string; label: string }[];
}

export function settingField(key: SettingKey): SettingField {
  const schema = fields[key] as z.ZodType;
  const meta = settingMeta.get(schema)!;
  if (schema instanceof z.ZodBoolean) return { key, kind: 'boolean', ...meta };
  if (schema instanceof z.ZodEnum) {
    // The words' order is the form's; every value the schema allows is offered.
    const values = schema.options as string[];
    const ordered = [
      ...Object.keys(meta.choices ?? {}).filter((v) => values.includes(v)),
      ...values.filter((v) => !meta.choices?.[v]),
    ];
    return {
      key,
      kind: 'choice',
      ...meta,
      options: ordered.map((value) => ({ value, label: meta.choices?.[value] ?? value })),
    };
  }
  const number = schema as z.ZodNumber;
  return {
    key,
    kind: 'number',
    ...meta,
    min: number.minValue ?? undefined,
    max: number.maxValue ?? undefined,
  };
}

/** Every setting in the form's order. */
export const SETTING_FIELDS: readonly SettingField[] = SETTING_KEYS.map(settingField);

/** "1–100", from the schema's own bounds. */
export function settingRange(field: SettingField): string | null {
  return field.kind === 'number' && field.min !== undefined && field.max !== undefined
    ? `${field.min}–${field.max}`
    : null;
}
