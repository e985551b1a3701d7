import type { AfterIngest } from '../contract';

/**
 * What each after_ingest choice does to the user's watch folder: a label, its
 * consequence in a few words (the camera page), and the whole of it (a form's help).
 */
export const AFTER_INGEST_WORDS: Record<
  AfterIngest,
  { label: string; consequence: string; help: string }
> = {
  keep: {
    label: 'Keep the originals',
    consequence: 'frames are copied; the folder stays as it is',
    help: 'Frames are copied into the library and the folder stays as it is. Files already taken are remembered and never taken twice, also after a restart.',
  },
  delete: {
    label: 'Delete the originals',
    consequence: 'each file is deleted once its frame is stored',
    help: 'Each file is deleted from the folder once its frame is safely stored in the library; refused files move to its rejected/ subfolder.',
  },
};

/** A folder camera's after_ingest from its source options (keep when unset). */
export function afterIngestOf(options: Record<string, unknown>): AfterIngest {
  return options.after_ingest === 'delete' ? 'delete' : 'keep';
}
