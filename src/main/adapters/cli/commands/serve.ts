import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_PORT, startHttpServer } from '../../http/server';
import { isLoopbackHost } from '../../http/hosts';
import { hashToken, issueToken } from '../../http/token';
import { UsageError } from '../args';
import type { CliContext } from '../context';
import { printData } from '../output';

const portSchema = z.coerce.number().int().min(0).max(65_535);

/** `serve`: the core's workers, the HTTP API with live events, and the web UI, until SIGINT/SIGTERM. */
export async function runServe(ctx: CliContext): Promise<void> {
  const { host = '127.0.0.1', port: portText, demo } = ctx.invocation.options;
  const port = portText === undefined ? DEFAULT_PORT : portSchema.safeParse(portText);
  if (typeof port !== 'number' && !port.success) throw new UsageError(`--port takes a port number, not "${portText}"`);

  const token = tokenFor(ctx, host);
  const server = await startHttpServer({
    api: ctx.api,
    events: ctx.host.events,
    host,
    port: typeof port === 'number' ? port : port.data,
    tokenHash: token.hash,
    allowedHosts: ctx.invocation.options['allow-host'] ?? [],
    // The built renderer sits next to the built CLI: out/main/cli.js → out/renderer.
    rendererDir: join(import.meta.dirname, '..', 'renderer'),
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
      ctx.out.stdout.write('The token above is shown only this once; browsers log in with ?token=…\n');
    }
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
  } finally {
    // The workers stop with the core (closed by main).
    await server.close();
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
