import type { TimelapseDto } from '../../../../shared/contract';
import { describeTimelapse } from '../../../../shared/reports';
import { stringOption, type CommandSpec } from '../command';
import type { CliContext } from '../context';
import { printData } from '../output';
import { parseId, positionalId } from './cameras';

/** `timelapser timelapses …`: the sessions a camera captures into, as the camera page runs them. */
export const timelapsesCommands: CommandSpec[] = [
  {
    name: 'timelapses list',
    summary: "every timelapse (or one camera's), with frames, dates and size",
    options: { camera: { type: 'string', value: 'ID', description: "only this camera's" } },
    async run(ctx) {
      const camera = stringOption(ctx.invocation.options, 'camera');
      const list = await ctx.api.call('timelapses.list', {
        camera_id: camera === undefined ? undefined : parseId(ctx, camera, '--camera'),
      });
      printData(
        ctx.out,
        list,
        ctx.out.json ? undefined : 'Timelapses',
        list.map(describeTimelapse),
      );
    },
  },
  {
    name: 'timelapses start',
    summary: 'start a timelapse: the camera captures into it',
    options: {
      camera: { type: 'string', value: 'ID', required: true, description: 'the camera' },
      name: {
        type: 'string',
        value: 'NAME',
        description: 'its name (default: the camera and the date)',
      },
    },
    async run(ctx) {
      const timelapse = await ctx.api.call('timelapses.start', {
        camera_id: parseId(ctx, stringOption(ctx.invocation.options, 'camera')!, '--camera'),
        name: stringOption(ctx.invocation.options, 'name'),
      });
      printTimelapse(ctx, timelapse, 'Timelapse started');
    },
  },
  statusCommand(
    'stop',
    'timelapses.stop',
    'stop capturing into a timelapse (a new one can start)',
    'Timelapse stopped',
  ),
  statusCommand(
    'complete',
    'timelapses.complete',
    'mark a timelapse complete',
    'Timelapse completed',
  ),
  {
    name: 'timelapses rename',
    summary: 'rename a timelapse',
    positionals: ['<id>'],
    options: {
      name: { type: 'string', value: 'NAME', required: true, description: 'the new name' },
    },
    async run(ctx) {
      const timelapse = await ctx.api.call('timelapses.update', {
        timelapse_id: positionalId(ctx),
        name: stringOption(ctx.invocation.options, 'name')!,
      });
      printTimelapse(ctx, timelapse, 'Timelapse renamed');
    },
  },
];

function statusCommand(
  word: string,
  operation: 'timelapses.stop' | 'timelapses.complete',
  summary: string,
  title: string,
): CommandSpec {
  return {
    name: `timelapses ${word}`,
    summary,
    positionals: ['<id>'],
    async run(ctx) {
      printTimelapse(
        ctx,
        await ctx.api.call(operation, { timelapse_id: positionalId(ctx) }),
        title,
      );
    },
  };
}

function printTimelapse(ctx: CliContext, timelapse: TimelapseDto, title: string): void {
  printData(ctx.out, timelapse, ctx.out.json ? undefined : title, [describeTimelapse(timelapse)]);
}
