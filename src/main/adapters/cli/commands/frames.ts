import { describeMissingOriginals } from '../../../../shared/reports';
import type { CommandSpec } from '../command';
import { operationCommand, previewedDeletion } from './thumbnails';

/** Frames whose records outlived their files. */
export const framesCommands: CommandSpec[] = [
  operationCommand({
    name: 'frames remove-missing',
    summary: 'remove image records whose frame file is gone (missing originals)',
    operation: 'frames.removeMissing',
    title: 'Missing originals',
    ...previewedDeletion(
      'list the dead records, remove nothing',
      'remove even above the safety threshold',
    ),
    describe: describeMissingOriginals,
  }),
];
