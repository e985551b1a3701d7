import fs from 'node:fs';
import { mkdirSync, readdirSync, lstatSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import { join, relative } from 'node:path';
import { afterAll } from 'vitest';
import type { Api } from '../../src/main/api';
import type { Core } from '../../src/main/core';
import { OPERATION_NAMES, operations, type OperationName } from '../../src/shared/contract';
import { ARTIFACTS } from '../e2e/harness';

/**
 * What the security suite shares: the state a request might change (compared
 * before and after every attack), the API calls that reached a handler, the
 * files the server process opened, raw requests with headers exactly as
 * written, and a tally of attacks tried and held per family.
 */

/** Everything an attacker might want changed: rows, settings, jobs and files (inside the root and in `outside`). */
export function snapshot(core: Core, outside: readonly string[] = []): string {
  const all = (table: string) => core.db.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
  return JSON.stringify({
    cameras: all('cameras'),
    timelapses: all('timelapses'),
    images: all('images'),
    jobs: all('thumbnail_generation_jobs'),
    sessions: all('regeneration_sessions'),
    videos: all('videos'),
    queue: all('queue_state'),
    settings: core.settings.getAll(),
    token: core.tokens.readHash(),
    files: listTree(core.tree.root).filter((entry) => !entry.startsWith('timelapser.db')),
    outside: outside.map(listTree),
  });
}

/** Every file and folder under `root`: path, type and size (a moved, added or emptied file shows). */
function listTree(root: string): string[] {
  const entries: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const info = lstatSync(path);
      const rel = relative(root, path);
      if (info.isDirectory()) {
        entries.push(`${rel}/`);
        walk(path);
      } else entries.push(`${rel} ${info.isSymbolicLink() ? 'link' : info.size}`);
    }
  };
  walk(root);
  return entries;
}

/** The API with every call recorded: a refused request must never reach a handler. */
export function recordingApi(api: Api): { api: Api; calls: OperationName[] } {
  const calls: OperationName[] = [];
  const call: Api['call'] = (name, args, context) => {
    calls.push(name);
    return api.call(name, args, context);
  };
  const openBatch: Api['images']['openBatch'] = (args) => {
    calls.push('images.batch');
    return api.images.openBatch(args);
  };
  return { api: { ...api, call, images: { ...api.images, openBatch } }, calls };
}

export const MUTATING_OPERATIONS = OPERATION_NAMES.filter((name) => operations[name].mutates);
export const READING_OPERATIONS = OPERATION_NAMES.filter((name) => !operations[name].mutates);

const READ_FUNCTIONS = [
  'open',
  'openSync',
  'readFile',
  'readFileSync',
  'createReadStream',
] as const;
const PROMISE_READ_FUNCTIONS = ['open', 'readFile'] as const;

/**
 * Records every path this process opens for reading while `run` runs (the
 * server runs in the test's process: its image service, static files and
 * placeholder all read through node:fs).
 */
export async function recordReads<T>(
  run: () => Promise<T>,
): Promise<{ result: T; paths: string[] }> {
  const paths: string[] = [];
  const restore: (() => void)[] = [];
  const wrap = (target: Record<string, unknown>, name: string) => {
    const original = target[name] as (...args: unknown[]) => unknown;
    target[name] = function (this: unknown, path: unknown, ...rest: unknown[]) {
      if (typeof path === 'string' || path instanceof URL || Buffer.isBuffer(path))
        paths.push(String(path));
      return original.call(this, path, ...rest);
    };
    restore.push(() => (target[name] = original));
  };
  for (const name of READ_FUNCTIONS) wrap(fs as unknown as Record<string, unknown>, name);
  for (const name of PROMISE_READ_FUNCTIONS)
    wrap(fs.promises as unknown as Record<string, unknown>, name);
  syncBuiltinESMExports();
  try {
    return { result: await run(), paths };
  } finally {
    restore.forEach((undo) => undo());
    syncBuiltinESMExports();
  }
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request sent exactly as written: the path unnormalised, only the headers given (Host included). */
export function raw(
  url: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): Promise<RawReply> {
  const { hostname, port } = new URL(url);
  const headers = { ...options.headers };
  // Node frames a DELETE body only when told its length (a browser always sends it).
  if (options.body !== undefined)
    headers['content-length'] ??= String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        path: options.path,
        method: options.method ?? 'GET',
        headers,
        setHost: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Attacks tried and held, per family. Each test file keeps one tally; its
 * counts land in test-artifacts/security/<family>.json and are printed, for
 * the closing note.
 */
export function useTally(file: string): (family: string, held: boolean) => void {
  const counts = new Map<string, { tried: number; held: number }>();
  afterAll(() => {
    if (counts.size === 0) return;
    const figures = Object.fromEntries(counts);
    mkdirSync(join(ARTIFACTS, 'security'), { recursive: true });
    writeFileSync(
      join(ARTIFACTS, 'security', `${file}.json`),
      `${JSON.stringify(figures, null, 2)}\n`,
    );
    for (const [family, { tried, held }] of counts)
      console.log(`security ${family}: ${held}/${tried} held`);
  });
  return (family, held) => {
    const entry = counts.get(family) ?? { tried: 0, held: 0 };
    entry.tried++;
    if (held) entry.held++;
    counts.set(family, entry);
  };
}
