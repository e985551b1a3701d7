import { isAbsolute, relative, resolve } from 'node:path';
import { z, ZodError } from 'zod';
import {
  afterIngestSchema,
  type DemoSourceOptions,
  type FolderSourceOptions,
  type HttpSourceOptions,
  type RtspSourceOptions,
  type SourceType,
} from '../../shared/contract';
import { ValidationError } from '../errors';

const ms = (min: number, max: number) => z.number().int().min(min).max(max).optional();
const bytes = z
  .number()
  .int()
  .min(1024)
  .max(200 * 1024 * 1024)
  .optional();

const OPTION_SCHEMAS = {
  demo: z
    .object({
      width: z.number().int().min(160).max(3840).optional(),
      height: z.number().int().min(120).max(2160).optional(),
    })
    .strict(),
  http: z
    .object({
      username: z.string().max(256).optional(),
      password: z.string().max(256).optional(),
      timeout_ms: ms(100, 120_000),
      max_bytes: bytes,
      max_redirects: z.number().int().min(0).max(10).optional(),
    })
    .strict(),
  rtsp: z.object({ timeout_ms: ms(1_000, 120_000), max_bytes: bytes }).strict(),
  folder: z
    .object({
      stable_ms: ms(100, 600_000),
      after_ingest: afterIngestSchema.optional(),
      imported_from: z.string().optional(),
    })
    .strict(),
} satisfies Record<SourceType, z.ZodType>;

export type SourceConfig =
  | { source_type: 'demo'; source_url: null; options: DemoSourceOptions }
  | { source_type: 'http'; source_url: string; options: HttpSourceOptions }
  | { source_type: 'rtsp'; source_url: string; options: RtspSourceOptions }
  | { source_type: 'folder'; source_url: string | null; options: FolderSourceOptions };

const URL_SCHEMES: Partial<Record<SourceType, readonly string[]>> = {
  http: ['http:', 'https:'],
  rtsp: ['rtsp:', 'rtsps:'],
};

/**
 * Checks a camera's source: the URL scheme its type needs, a folder path that
 * is absolute and outside the data root (frames would feed back into the
 * inbox), and its options. `requireUrl` is false for a disabled camera, so an
 * imported folder camera can exist without a watch folder.
 */
export function parseSourceConfig(
  sourceType: SourceType,
  sourceUrl: string | null | undefined,
  options: unknown,
  { dataRoot, requireUrl }: { dataRoot: string; requireUrl: boolean },
): SourceConfig {
  if (!Object.hasOwn(OPTION_SCHEMAS, sourceType)) {
    throw new ValidationError(`Unknown source_type "${String(sourceType)}"`, {
      source_type: sourceType,
    });
  }
  const raw: unknown = typeof options === 'string' ? JSON.parse(options) : (options ?? {});
  const url = sourceUrl?.trim() || null;
  if (sourceType === 'demo') {
    if (url) throw new ValidationError('A demo camera has no source_url', { source_url: url });
    return { source_type: 'demo', source_url: null, options: parseOptions('demo', raw) };
  }
  if (sourceType === 'folder') {
    if (url) assertWatchFolder(url, dataRoot);
    else if (requireUrl)
      throw new ValidationError('A folder camera needs its watch folder as source_url');
    return { source_type: 'folder', source_url: url, options: parseOptions('folder', raw) };
  }
  if (!url) throw new ValidationError(`A ${sourceType} camera needs a source_url`);
  assertScheme(sourceType, url);
  return sourceType === 'http'
    ? { source_type: 'http', source_url: url, options: parseOptions('http', raw) }
    : { source_type: 'rtsp', source_url: url, options: parseOptions('rtsp', raw) };
}

function parseOptions<T extends SourceType>(
  sourceType: T,
  options: unknown,
): z.output<(typeof OPTION_SCHEMAS)[T]> {
  try {
    return OPTION_SCHEMAS[sourceType].parse(options) as z.output<(typeof OPTION_SCHEMAS)[T]>;
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    const issue = error.issues[0];
    throw new ValidationError(
      `Invalid source_options for ${sourceType}: ${issue?.path.join('.') || ''} ${issue?.message ?? ''}`.trim(),
      {
        issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    );
  }
}

function assertScheme(sourceType: SourceType, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`source_url is not a URL`, { source_url: url });
  }
  const schemes = URL_SCHEMES[sourceType] ?? [];
  if (!schemes.includes(parsed.protocol)) {
    throw new ValidationError(`A ${sourceType} camera needs a ${schemes.join(' or ')} URL`, {
      protocol: parsed.protocol,
    });
  }
}

function assertWatchFolder(folder: string, dataRoot: string): void {
  if (!isAbsolute(folder))
    throw new ValidationError('The watch folder must be an absolute path', { source_url: folder });
  const inside = relative(resolve(dataRoot), resolve(folder));
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new ValidationError('The watch folder may not be inside the data root', {
      source_url: folder,
    });
  }
}
