import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_PORT, startHttpServer } from '../../http/server';
import { isLoopbackHost } from '../../http/hosts';
import { hashToken, issueToken } from '../../http/token';
import { TimelapserError } from '../../../errors';
import { UsageError } from '../args';
import { stringOption, type CommandSpec } from '../command';
import type { CliContext } from '../context';
import { printData } from '../output';

const portSchema = z.coerce.number().int().min(0).max(65_535);

/** `serve`: the core's workers, the HTTP API with live events, and the web UI, until SIGINT/SIGTERM. */
export const serveCommand: CommandSpec = {
  name: 'serve',
  summary: 'core workers, HTTP API and web UI; off loopback a bearer token is required',
  // A long-running server: what it does is worth a line.
  logLevel: 'info',
  options: {
    host: { type: 'string', value: 'H', description: 'the address to bind (default 127.0.0.1)' },
    port: {
      type: 'string',
      value: 'P',
      description: `the port (default ${DEFAULT_PORT}; 0 picks a free one)`,
    },
    demo: { type: 'boolean', description: 'add demo cameras to an empty library' },
    'allow-host': {
      type: 'string',
      value: 'NAME',
      multiple: true,
      description: 'another Host name to accept (a DNS name of this box)',
    },
    'new-token': { type: 'boolean', description: 'replace the bearer token (shown once)' },
  },
  run: runServe,
};

async function runServe(ctx: CliContext): Promise<void> {
  const { options } = ctx.invocation;
  const host = stringOption(options, 'host') ?? '127.0.0.1';
  const portText = stringOption(options, 'port');
  const demo = options.demo === true;
  const port = portText === undefined ? DEFAULT_PORT : portSchema.safeParse(portText);
  if (typeof port !== 'number' && !port.success)
    throw new UsageError(`--port takes a port number, not "${portText}"`);

  const token = tokenFor(ctx, host);
  const bindPort = typeof port === 'number' ? port : port.data;
  const server = await startHttpServer({
    api: ctx.api,
    events: ctx.host.events,
    host,
    port: bindPort,
    tokenHash: token.hash,
    allowedHosts: (options['allow-host'] as string[] | undefined) ?? [],
    // The built renderer sits next to the built CLI: out/main/cli.js → out/renderer.
    rendererDir: join(import.meta.dirname, '..', 'renderer'),
  }).catch((error: unknown) => {
    throw bindError(error, host, bindPort);
  });
  // A newcomer's first start shows a live wall at once; --demo asks for it on any empty library.
  if (demo || ctx.host.firstStart) ctx.host.ensureDemoCameras();
  ctx.host.start();
  try {
    printData(
      ctx.out,
      { url: server.url, host: server.host, port: server.port, token: token.shown ?? null },
      ctx.out.json ? undefined : 'Timelapser is serving',
    );
    if (token.shown && !ctx.out.json) {
      ctx.out.stdout.write(
        'The token above is shown only this once; browsers log in with ?token=…\n',
      );
    }
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
  } finally {
    // The workers stop with the core (closed by main).
    await server.close();
  }
}

/** The listen errors people meet, in one line each (exit 1); anything else as it came. */
export class BindError extends TimelapserError {
  constructor(message: string) {
    super(message, 'bind_failed', 409);
  }
}

function bindError(error: unknown, host: string, port: number): unknown {
  const where = `${host}:${port}`;
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new BindError(
        `${where} is already in use (another Timelapser, or another program); stop it or choose another --port`,
      );
    case 'EACCES':
      return new BindError(
        `Not allowed to listen on ${where} (ports below 1024 need privileges); choose another --port`,
      );
    case 'EADDRNOTAVAIL':
      return new BindError(`${host} is not an address of this machine; choose another --host`);
    default:
      return error;
  }
}

/** Off loopback a token is required: the stored one, or a new one shown once (also with --new-token). */
function tokenFor(ctx: CliContext, host: string): { hash: string | null; shown?: string } {
  if (isLoopbackHost(host)) return { hash: null };
  const stored = ctx.host.tokens.readHash();
  if (stored && !ctx.invocation.options['new-token']) return { hash: stored };
  const token = issueToken(ctx.host.tokens);
  return { hash: hashToken(token), shown: token };
}
