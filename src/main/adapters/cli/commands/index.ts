import type { CommandSpec } from '../command';
import { framesCommands } from './frames';
import { importCommand } from './import';
import { jobsCommands } from './jobs';
import { rejectionsCommand } from './rejections';
import { serveCommand } from './serve';
import { thumbnailsCommands } from './thumbnails';

/** Every `timelapser` command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  serveCommand,
  importCommand,
  rejectionsCommand,
  ...thumbnailsCommands,
  ...framesCommands,
  ...jobsCommands,
];
