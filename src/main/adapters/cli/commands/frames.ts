import { describeMissingOriginals } from '../../../../shared/reports';
import type { CommandSpec } from '../command';
import { operationCommand } from './thumbnails';

/** Frames whose records outlived their files. */
export const framesCommands: CommandSpec[] = [
  operationCommand({
    name: 'frames remove-missing',
    summary: 'remove image records whose frame file is gone (missing originals)',
    operation: 'frames.removeMissing',
    title: 'Missing originals',
    options: {
      'dry-run': { type: 'boolean', description: 'list the dead records, remove nothing' },
      force: { type: 'boolean', description: 'remove even above the safety threshold' },
    },
    args: (o) => ({ dry_run: o['dry-run'] === true, force: o.force === true }),
    describe: describeMissingOriginals,
  }),
];
