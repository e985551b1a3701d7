import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { httpRequestFor, type OperationArgs, type OperationName } from '../../../src/shared/contract';
import { startHttpServer, type HttpServerOptions, type RunningServer } from '../../../src/main/adapters/http/server';
import type { TestLibrary } from '../../helpers/temp-library';

/** A real server on 127.0.0.1 and a free port, over the library's API. */
export function serve(library: Pick<TestLibrary, 'api' | 'core'>, options: Partial<HttpServerOptions> = {}) {
  return startHttpServer({ api: library.api, events: library.core.events, port: 0, rendererDir: null, ...options });
}

export interface JsonReply {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Calls an operation over HTTP exactly as a browser client would (the contract's request plan). */
export async function callHttp<N extends OperationName>(
  server: RunningServer,
  name: N,
  args?: OperationArgs<N>,
  headers: Record<string, string> = {},
): Promise<JsonReply> {
  const plan = httpRequestFor(name, args);
  const response = await fetch(server.url + plan.url, {
    method: plan.method,
    headers: { ...plan.headers, ...headers },
    body: plan.body,
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** A stand-in for out/renderer: index.html and one asset. */
export function fakeRenderer(dir: string): string {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Timelapser UI</title><script src="./assets/app.js"></script>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("timelapser ui");');
  return dir;
}
