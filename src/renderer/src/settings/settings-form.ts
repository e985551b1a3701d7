import {
  settingsPatchSchema,
  type SettingKey,
  type Settings,
  type SettingsPatch,
} from '../../../shared/contract';

/** How each setting is edited and explained. Order is the form's order. */
export interface FieldSpec {
  key: SettingKey;
  label: string;
  help: string;
  kind: 'boolean' | 'number' | 'choice';
  choices?: { value: string; label: string }[];
  step?: number;
}

export const SETTING_FIELDS: FieldSpec[] = [
  {
    key: 'generate_thumbnails',
    label: 'Generate thumbnails',
    help: 'Queue a thumbnail job for every good capture.',
    kind: 'boolean',
  },
  {
    key: 'small_generation_mode',
    label: 'Small images (800×600)',
    help: 'Smalls make larger tiles and the frame viewer sharp.',
    kind: 'choice',
    choices: [
      { value: 'all', label: 'All: a small for every image' },
      { value: 'latest_only', label: 'Latest only: keep just the newest small' },
      { value: 'none', label: 'None: saves about half the thumbnail disk space' },
    ],
  },
  {
    key: 'purge_smalls_on_completion',
    label: 'Purge smalls when a timelapse completes',
    help: 'Thumbnails stay; smalls of finished sessions are deleted.',
    kind: 'boolean',
  },
  { key: 'thumbnail_quality', label: 'Thumbnail JPEG quality', help: '1–100', kind: 'number' },
  { key: 'small_quality', label: 'Small JPEG quality', help: '1–100', kind: 'number' },
  {
    key: 'thumbnail_job_batch_size',
    label: 'Jobs per batch',
    help: 'Jobs the worker claims at once (1–100).',
    kind: 'number',
  },
  {
    key: 'thumbnail_worker_interval',
    label: 'Worker interval (s)',
    help: 'How often an idle worker looks for jobs.',
    kind: 'number',
  },
  {
    key: 'thumbnail_max_retries',
    label: 'Retries per job',
    help: 'Attempts before a job is marked failed (0–10).',
    kind: 'number',
  },
  {
    key: 'thumbnail_cleanup_hours',
    label: 'Keep finished jobs (h)',
    help: 'Completed and failed jobs older than this are removed.',
    kind: 'number',
  },
  {
    key: 'thumbnail_pool_size',
    label: 'Image workers',
    help: '0 means one per CPU core.',
    kind: 'number',
  },
  {
    key: 'corruption_check',
    label: 'Corruption check on capture',
    help: 'Frames that fail it are discarded, not saved.',
    kind: 'choice',
    choices: [
      { value: 'full', label: 'Full: also catches corrupt data and "no signal" frames' },
      { value: 'quick', label: 'Quick: header and end marker only, for many 4K cameras' },
    ],
  },
  {
    key: 'cleanup_safety_threshold',
    label: 'Cleanup safety threshold',
    help: 'Refuse a cleanup that would delete more than this share of thumbnails (0–1).',
    kind: 'number',
    step: 0.05,
  },
];

/** The form's text state: what the user typed, before it is a valid setting. */
export type Draft = Record<SettingKey, string | boolean>;

export function draftOf(settings: Settings): Draft {
  return Object.fromEntries(
    SETTING_FIELDS.map((field) => {
      const value = settings[field.key];
      return [field.key, typeof value === 'boolean' ? value : String(value)];
    }),
  ) as Draft;
}

export interface Validation {
  patch: SettingsPatch | null;
  errors: Partial<Record<SettingKey, string>>;
}

/** The changed fields, checked by the same zod schema the core uses. */
export function validateDraft(draft: Draft, saved: Settings): Validation {
  const changed: Record<string, unknown> = {};
  for (const field of SETTING_FIELDS) {
    const raw = draft[field.key];
    const value = field.kind === 'number' ? (String(raw).trim() === '' ? NaN : Number(raw)) : raw;
    if (value !== saved[field.key]) changed[field.key] = value;
  }
  const parsed = settingsPatchSchema.safeParse(changed);
  // The schema fills defaults for absent keys: keep only what the user changed.
  if (parsed.success) return { patch: pick(parsed.data, Object.keys(changed)), errors: {} };
  const errors: Partial<Record<SettingKey, string>> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] as SettingKey;
    errors[key] ??= Number.isNaN(changed[key]) ? 'Enter a number' : issue.message;
  }
  return { patch: null, errors };
}

function pick(patch: SettingsPatch, keys: string[]): SettingsPatch {
  return Object.fromEntries(
    Object.entries(patch).filter(([key]) => keys.includes(key)),
  ) as SettingsPatch;
}
