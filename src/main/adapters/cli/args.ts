import { parseArgs } from 'node:util';
import { TimelapserError } from '../../errors';

/** Bad command line: exit code 2 with the usage text. */
export class UsageError extends TimelapserError {
  constructor(message: string) {
    super(message, 'usage', 400);
  }
}

export const USAGE = `Usage: timelapser [--data DIR] <command> [--json]

Commands:
  serve [--host H] [--port P] [--demo] [--allow-host NAME]... [--new-token]
                                   core workers + HTTP API + web UI; --demo adds demo
                                   cameras to an empty library; off loopback a bearer
                                   token is required (made and shown once)
  import <folder> --camera NAME [--timelapse NAME]
                                   ingest existing frames through the capture path
  thumbnails stats                 system thumbnail statistics
  thumbnails verify                verify every thumbnail and small against the disk
  thumbnails repair                match orphaned thumbnail files back to their images
  thumbnails cleanup [--dry-run] [--force]
                                   delete orphaned files no image can claim
  thumbnails regenerate [--timelapse ID] [--force] [--wait]
                                   regenerate all thumbnails (or one timelapse's)
  thumbnails delete-all --yes      delete every thumbnail and small
  jobs stats                       job queue statistics
  jobs run [--until-empty]         process the thumbnail queue in this process

Options:
  --data DIR   the data root (default: $TIMELAPSER_DATA, else the app's library)
  --json       print exactly the JSON the HTTP API returns
  -h, --help   this text

Exit codes: 0 success, 1 the operation failed, 2 usage error.`;

const OPTIONS = {
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  host: { type: 'string' },
  port: { type: 'string' },
  demo: { type: 'boolean' },
  'allow-host': { type: 'string', multiple: true },
  'new-token': { type: 'boolean' },
  camera: { type: 'string' },
  timelapse: { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  wait: { type: 'boolean' },
  yes: { type: 'boolean' },
  'until-empty': { type: 'boolean' },
} as const;

type OptionName = keyof typeof OPTIONS;
const GLOBAL: OptionName[] = ['data', 'json', 'help'];

/** Which options each command takes (beyond --data, --json, --help). */
const COMMANDS: Record<string, OptionName[]> = {
  serve: ['host', 'port', 'demo', 'allow-host', 'new-token'],
  import: ['camera', 'timelapse'],
  'thumbnails stats': [],
  'thumbnails verify': [],
  'thumbnails repair': [],
  'thumbnails cleanup': ['dry-run', 'force'],
  'thumbnails regenerate': ['timelapse', 'force', 'wait'],
  'thumbnails delete-all': ['yes'],
  'jobs stats': [],
  'jobs run': ['until-empty'],
};

export interface Invocation {
  command: string;
  /** Positionals after the command words (the folder of `import`). */
  rest: string[];
  options: {
    data?: string;
    json?: boolean;
    help?: boolean;
    host?: string;
    port?: string;
    demo?: boolean;
    'allow-host'?: string[];
    'new-token'?: boolean;
    camera?: string;
    timelapse?: string;
    'dry-run'?: boolean;
    force?: boolean;
    wait?: boolean;
    yes?: boolean;
    'until-empty'?: boolean;
  };
}

export function parseCommandLine(argv: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help && positionals.length === 0) return { command: 'help', rest: [], options: values };
  const [first, second, ...others] = positionals;
  if (!first) throw new UsageError('No command given');
  const twoWords = first === 'thumbnails' || first === 'jobs';
  const command = twoWords ? `${first} ${second ?? ''}`.trim() : first;
  const allowed = COMMANDS[command];
  if (!allowed) throw new UsageError(`Unknown command "${command}"`);
  const rest = twoWords ? others : [second, ...others].filter((word): word is string => word !== undefined);
  for (const given of Object.keys(values) as OptionName[]) {
    if (!GLOBAL.includes(given) && !allowed.includes(given)) {
      throw new UsageError(`"${command}" does not take --${given}`);
    }
  }
  const expectedRest = command === 'import' ? 1 : 0;
  if (rest.length !== expectedRest) {
    throw new UsageError(
      expectedRest ? `"${command}" takes one folder` : `Unexpected argument "${rest[expectedRest] ?? ''}"`,
    );
  }
  return { command: values.help ? 'help' : command, rest, options: values };
}
