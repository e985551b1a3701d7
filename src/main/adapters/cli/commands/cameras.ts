import {
  afterIngestSchema,
  httpAuthSchema,
  idSchema,
  rtspTransportSchema,
  sourceTypeSchema,
  type CameraDto,
  type SourceType,
} from '../../../../shared/contract';
import { describeCamera, describeCameraTest } from '../../../../shared/reports';
import { UsageError } from '../args';
import { stringOption, type CommandSpec, type OptionSpec, type OptionValues } from '../command';
import type { CliContext } from '../context';
import { printData } from '../output';

/**
 * `timelapser cameras …`: add, edit, test, enable, disable, remove and order
 * cameras through the same operations as the app's camera form.
 */

const SOURCE_OPTIONS: Record<string, OptionSpec> = {
  url: {
    type: 'string',
    value: 'URL',
    description: 'snapshot URL (http), stream URL (rtsp) or watch folder path (folder)',
  },
  user: { type: 'string', value: 'U', description: 'user name for the camera (http, rtsp)' },
  password: { type: 'string', value: 'P', description: 'password for the camera (http, rtsp)' },
  auth: {
    type: 'string',
    value: 'auto|basic|digest',
    description: 'http authentication (default auto)',
  },
  'insecure-tls': { type: 'boolean', description: 'accept a self-signed https certificate' },
  transport: { type: 'string', value: 'tcp|udp', description: 'rtsp transport (default tcp)' },
  'after-ingest': {
    type: 'string',
    value: 'keep|delete',
    description: "folder: keep the folder's files (default) or delete each once stored",
  },
};

const CAMERA_OPTIONS: Record<string, OptionSpec> = {
  ...SOURCE_OPTIONS,
  interval: { type: 'string', value: 'S', description: 'seconds between captures (1–86400)' },
  group: { type: 'string', value: 'G', description: "the wall's group ('' for none)" },
  thumbnails: {
    type: 'string',
    value: 'on|off',
    description: 'make thumbnails and smalls (default on)',
  },
};

export const camerasCommands: CommandSpec[] = [
  {
    name: 'cameras list',
    summary: 'every camera, in the wall order',
    async run(ctx) {
      const cameras = await ctx.api.call('cameras.list');
      printData(
        ctx.out,
        cameras,
        ctx.out.json ? undefined : 'Cameras',
        cameras.map(describeCamera),
      );
    },
  },
  {
    name: 'cameras add',
    summary: 'add a camera',
    options: {
      name: { type: 'string', value: 'NAME', required: true, description: "the camera's name" },
      type: {
        type: 'string',
        value: 'http|rtsp|folder|demo',
        required: true,
        description: 'where frames come from',
      },
      ...CAMERA_OPTIONS,
      disabled: { type: 'boolean', description: 'add it without capturing yet' },
    },
    async run(ctx) {
      const { options } = ctx.invocation;
      const sourceType = choice(ctx, 'type', sourceTypeSchema)!;
      const camera = await ctx.api.call('cameras.create', {
        name: stringOption(options, 'name')!,
        source_type: sourceType,
        source_url: stringOption(options, 'url') ?? null,
        source_options: sourceOptions(ctx, sourceType),
        ...cameraSettings(ctx),
        enabled: options.disabled !== true,
      });
      printCamera(ctx, camera, 'Camera added');
      if (!ctx.out.json && camera.enabled)
        ctx.out.stdout.write(
          `\nIt captures once a timelapse runs: timelapser timelapses start --camera ${camera.id}\n`,
        );
    },
  },
  {
    name: 'cameras edit',
    summary: "change a camera's settings (only those given)",
    positionals: ['<id>'],
    options: {
      name: { type: 'string', value: 'NAME', description: "the camera's name" },
      type: {
        type: 'string',
        value: 'http|rtsp|folder|demo',
        description: 'where frames come from',
      },
      ...CAMERA_OPTIONS,
    },
    async run(ctx) {
      const cameraId = positionalId(ctx);
      const current = await ctx.api.call('cameras.get', { camera_id: cameraId });
      const sourceType = choice(ctx, 'type', sourceTypeSchema) ?? current.source_type;
      // The current options (their password masked, which the core reads as "unchanged") under the new ones.
      const base = sourceType === current.source_type ? current.source_options : {};
      const camera = await ctx.api.call('cameras.update', {
        camera_id: cameraId,
        name: stringOption(ctx.invocation.options, 'name'),
        source_type: sourceType,
        source_url: stringOption(ctx.invocation.options, 'url'),
        source_options: { ...base, ...sourceOptions(ctx, sourceType) },
        ...cameraSettings(ctx),
      });
      printCamera(ctx, camera, 'Camera changed');
    },
  },
  enableCommand('enable', true),
  enableCommand('disable', false),
  {
    name: 'cameras remove',
    summary: 'delete a camera with its timelapses, frames and thumbnails',
    positionals: ['<id>'],
    options: {
      yes: {
        type: 'boolean',
        required: true,
        description: 'confirm: every frame of the camera goes',
      },
    },
    async run(ctx) {
      const cameraId = positionalId(ctx);
      const result = await ctx.api.call('cameras.delete', { camera_id: cameraId });
      printData(ctx.out, result, ctx.out.json ? undefined : `Camera ${cameraId} deleted`);
    },
  },
  {
    name: 'cameras test',
    summary:
      'grab one frame with these settings, saving nothing (exit 1 and the reason if it fails)',
    options: {
      type: {
        type: 'string',
        value: 'http|rtsp|folder|demo',
        required: true,
        description: 'where frames come from',
      },
      ...SOURCE_OPTIONS,
      camera: {
        type: 'string',
        value: 'ID',
        description: "a saved camera whose password stands for '********'",
      },
    },
    async run(ctx) {
      const sourceType = choice(ctx, 'type', sourceTypeSchema)!;
      const camera = stringOption(ctx.invocation.options, 'camera');
      const result = await ctx.api.call('cameras.test', {
        camera_id: camera === undefined ? undefined : parseId(ctx, camera, '--camera'),
        source_type: sourceType,
        source_url: stringOption(ctx.invocation.options, 'url') ?? null,
        source_options: sourceOptions(ctx, sourceType),
      });
      printData(ctx.out, result, ctx.out.json ? undefined : 'Camera test', [
        describeCameraTest(result),
      ]);
    },
  },
  {
    name: 'cameras reorder',
    summary: 'put cameras first on the wall, in this order',
    positionals: ['<id,id,…>'],
    async run(ctx) {
      const ids = ctx.invocation.rest[0]!.split(',').map((id) =>
        parseId(ctx, id.trim(), 'each id'),
      );
      const cameras = await ctx.api.call('cameras.reorder', { camera_ids: ids });
      printData(
        ctx.out,
        cameras,
        ctx.out.json ? undefined : 'Cameras',
        cameras.map(describeCamera),
      );
    },
  },
];

function enableCommand(word: 'enable' | 'disable', enabled: boolean): CommandSpec {
  return {
    name: `cameras ${word}`,
    summary: enabled
      ? 'start capturing from a camera'
      : 'stop capturing from a camera (its frames stay)',
    positionals: ['<id>'],
    async run(ctx) {
      const camera = await ctx.api.call('cameras.update', {
        camera_id: positionalId(ctx),
        enabled,
      });
      printCamera(ctx, camera, enabled ? 'Camera enabled' : 'Camera disabled');
    },
  };
}

function printCamera(ctx: CliContext, camera: CameraDto, title: string): void {
  printData(ctx.out, camera, ctx.out.json ? undefined : title, [describeCamera(camera)]);
}

/** Which source types each source option belongs to. */
const APPLIES_TO: Record<string, readonly SourceType[]> = {
  user: ['http', 'rtsp'],
  password: ['http', 'rtsp'],
  auth: ['http'],
  'insecure-tls': ['http'],
  transport: ['rtsp'],
  'after-ingest': ['folder'],
};

/** The source options the command line names, checked against the source type. */
function sourceOptions(ctx: CliContext, sourceType: SourceType): Record<string, unknown> {
  const o = ctx.invocation.options;
  for (const [name, types] of Object.entries(APPLIES_TO)) {
    if (o[name] !== undefined && !types.includes(sourceType))
      throw new UsageError(
        `--${name} is for ${types.join(' and ')} cameras`,
        ctx.invocation.command ?? undefined,
      );
  }
  const given: Record<string, unknown> = {
    username: stringOption(o, 'user'),
    password: stringOption(o, 'password'),
    auth: choice(ctx, 'auth', httpAuthSchema),
    insecure_tls: o['insecure-tls'] === undefined ? undefined : o['insecure-tls'] === true,
    transport: choice(ctx, 'transport', rtspTransportSchema),
    after_ingest: choice(ctx, 'after-ingest', afterIngestSchema),
  };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
}

function cameraSettings(ctx: CliContext) {
  const o: OptionValues = ctx.invocation.options;
  const interval = stringOption(o, 'interval');
  const thumbnails = stringOption(o, 'thumbnails');
  if (interval !== undefined && !/^\d{1,6}$/.test(interval))
    throw new UsageError(
      `--interval takes whole seconds, not "${interval}"`,
      ctx.invocation.command ?? undefined,
    );
  if (thumbnails !== undefined && thumbnails !== 'on' && thumbnails !== 'off')
    throw new UsageError(
      `--thumbnails takes on or off, not "${thumbnails}"`,
      ctx.invocation.command ?? undefined,
    );
  return {
    capture_interval_s: interval === undefined ? undefined : Number(interval),
    generate_thumbnails: thumbnails === undefined ? undefined : thumbnails === 'on',
    group: stringOption(o, 'group'),
  };
}

/** A string option that must be one of a vocabulary's words; undefined when not given. */
export function choice<T extends string>(
  ctx: CliContext,
  name: string,
  schema: { options: readonly T[]; safeParse(value: unknown): { success: boolean; data?: T } },
): T | undefined {
  const value = stringOption(ctx.invocation.options, name);
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new UsageError(
      `--${name} takes ${schema.options.join(', ')}, not "${value}"`,
      ctx.invocation.command ?? undefined,
    );
  return parsed.data;
}

export function parseId(ctx: CliContext, text: string, what: string): number {
  const id = idSchema.safeParse(text);
  if (!id.success)
    throw new UsageError(`${what} takes an id, not "${text}"`, ctx.invocation.command ?? undefined);
  return id.data;
}

export function positionalId(ctx: CliContext): number {
  return parseId(ctx, ctx.invocation.rest[0]!, ctx.invocation.command!.positionals![0]!);
}
