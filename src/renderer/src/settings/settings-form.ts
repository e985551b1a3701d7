import {
  SETTING_FIELDS,
  settingsPatchSchema,
  type SettingKey,
  type Settings,
  type SettingsPatch,
} from '../../../shared/contract';

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
