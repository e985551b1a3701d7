import type { CommandSpec } from '../command';
import { camerasCommands } from './cameras';
import { framesCommands } from './frames';
import { importCommand } from './import';
import { jobsCommands } from './jobs';
import { rejectionsCommand } from './rejections';
import { serveCommand } from './serve';
import { thumbnailsCommands } from './thumbnails';
import { timelapsesCommands } from './timelapses';
import { renderCommand } from './videos';

/** Every `timelapser` command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  serveCommand,
  importCommand,
  ...camerasCommands,
  ...timelapsesCommands,
  rejectionsCommand,
  renderCommand,
  ...thumbnailsCommands,
  ...framesCommands,
  ...jobsCommands,
];
