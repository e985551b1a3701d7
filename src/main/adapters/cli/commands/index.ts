import type { CommandSpec } from '../command';
import { importCommand } from './import';
import { jobsCommands } from './jobs';
import { rejectionsCommand } from './rejections';
import { serveCommand } from './serve';
import { thumbnailsCommands } from './thumbnails';
import { renderCommand } from './videos';

/** Every `timelapser` command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  serveCommand,
  importCommand,
  rejectionsCommand,
  renderCommand,
  ...thumbnailsCommands,
  ...jobsCommands,
];
