import type { AfterIngest } from '../contract';

/** What each after_ingest choice does to the user's watch folder: the camera form and page say it this way. */
export const AFTER_INGEST_WORDS: Record<AfterIngest, { label: string; consequence: string }> = {
  keep: {
    label: 'Keep the originals',
    consequence:
      'Frames are copied into the library; the folder stays as it is. Files already taken are remembered and never taken twice.',
  },
  delete: {
    label: 'Delete the originals',
    consequence:
      'Each file is deleted from the folder once its frame is safely stored; refused files move to its rejected/ subfolder.',
  },
};

/** A folder camera's after_ingest from its source options (keep when unset). */
export function afterIngestOf(options: Record<string, unknown>): AfterIngest {
  return options.after_ingest === 'delete' ? 'delete' : 'keep';
}
