import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import { BIN } from '../adapters/cli/cli-helpers';
import { useEngine } from '../capture/support';
import { makeTempDir } from '../helpers/temp-library';
import { frameFolder, libraryFacts } from './support';
import { killsHere, parseTrace, strace, straceUnavailable, type TracedCall } from './strace';

/**
 * A kill at any instant of an import loses nothing. The real CLI import
 * (`timelapser import`, a child process) runs under strace, which kills it
 * with SIGKILL at one write call: every call that names a file or syncs it
 * (link, unlink, utimensat, fsync, ftruncate; of mkdir the first and last that
 * create a folder), every frame data write, and a sample of the database's
 * page writes (pwrite64): the first and last
 * of each frame's row-and-job transaction and a few more spread over the
 * run. Those are the calls found by tracing one undisturbed import of the same
 * folder; libuv's pool is one thread (UV_THREADPOOL_SIZE=1) so the order of
 * the file calls is the same in every run, and only calls that other threads
 * cannot reach first with the same number are used. After each kill the
 * library is opened again (the restart), the folder imported again and the
 * queue drained: every frame must be there exactly once, with its thumbnail
 * and small, no file may be left unreferenced, and the database intact.
 */
const FRAMES = 3;
const SPREAD = 4;
const unavailable = straceUnavailable();

interface KillPoint {
  name: string;
  when: number;
  what: string;
}

describe.skipIf(unavailable !== null)(
  `a kill at the write calls of an import (strace)${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const pool = useEngine();
    const dir = makeTempDir('timelapser-kill-import-');
    let source: string;
    let hashes: string[];
    let template: string;

    beforeAll(async () => {
      source = join(dir.path, 'dcim');
      hashes = await frameFolder(source, FRAMES, new Date(2026, 4, 3, 7, 0), 40);
      template = join(dir.path, 'template');
      await (await openCore({ dataRoot: template, engine: pool.engine })).close();
    });
    afterAll(() => dir.remove());

    it(
      'loses no frame and leaves no stray file, whichever write call the kill hits',
      { timeout: 600_000 },
      async () => {
        const traced = copyOf(template, 'traced');
        const run = await strace(importCommand(traced), join(dir.path, 'trace.txt'), {
          env: ONE_POOL_THREAD,
        });
        expect(run.code, run.stderr).toBe(0);
        const points = killPoints(parseTrace(join(dir.path, 'trace.txt')), traced);
        expect(points.length).toBeGreaterThan(FRAMES * 5);

        const figures = { kills: 0, completed: 0, lost: 0, duplicated: 0, strays: 0 };
        const landedOn = new Map<string, number>();
        const problems: string[] = [];
        for (const [i, point] of points.entries()) {
          const root = copyOf(template, `kill-${i}`);
          const killed = await strace(importCommand(root), join(dir.path, `kill-${i}.txt`), {
            env: ONE_POOL_THREAD,
            inject: point,
          });
          if (killed.killed) figures.kills++;
          else figures.completed++; // the run made fewer such calls this time
          const call = /^\d+\s+(\w+)/.exec(killed.landed ?? '')?.[1] ?? 'none';
          landedOn.set(call, (landedOn.get(call) ?? 0) + 1);
          // The restart: open the library, import the folder again, make the variants.
          const core = await openCore({ dataRoot: root, engine: pool.engine });
          const again = await core.importFolder({ folder: source, cameraName: 'Porch' });
          await core.worker.runUntilEmpty();
          await core.close();

          const facts = libraryFacts(root);
          const copies = hashes.map((hash) => facts.frameHashes.get(hash) ?? 0);
          const lost = copies.filter((n) => n === 0).length;
          const duplicated = copies.filter((n) => n > 1).length;
          const strays = [...facts.strays, ...facts.temp];
          figures.lost += lost;
          figures.duplicated += duplicated;
          figures.strays += strays.length;
          const broken = [
            facts.integrity !== 'ok' && `integrity: ${facts.integrity}`,
            lost > 0 && `${lost} frames lost`,
            duplicated > 0 && `${duplicated} frames stored twice`,
            facts.images !== FRAMES && `${facts.images} images`,
            strays.length > 0 && `strays: ${strays.join(', ')}`,
            facts.withoutThumbnail.length + facts.withoutSmall.length > 0 && 'variants missing',
            again.rejected.length > 0 && `rejected: ${JSON.stringify(again.rejected)}`,
          ].filter(Boolean);
          if (broken.length > 0)
            problems.push(
              `kill at ${point.what} (${killed.landed ?? 'not reached'}): ${broken.join('; ')}`,
            );
          rmSync(root, { recursive: true, force: true });
        }
        console.log(
          `kill-import: ${points.length} kill points, ${figures.kills} kills landed (${figures.completed} runs finished first), ` +
            `frames lost ${figures.lost}, stored twice ${figures.duplicated}, strays ${figures.strays}; ` +
            `landed on ${[...landedOn].map(([name, n]) => `${name} ×${n}`).join(', ')}`,
        );
        expect(problems).toEqual([]);
        expect(figures.kills).toBeGreaterThan(points.length * 0.8);
      },
    );

    function copyOf(library: string, name: string): string {
      const root = join(dir.path, name);
      cpSync(library, root, { recursive: true });
      return root;
    }

    function importCommand(root: string): string[] {
      return [
        process.execPath,
        BIN,
        '--data',
        root,
        'import',
        source,
        '--camera',
        'Porch',
        '--json',
      ];
    }
  },
);

const ONE_POOL_THREAD = { UV_THREADPOOL_SIZE: '1' };

/**
 * Where to kill: each call on the library's files that only its own thread
 * reaches with its number (see killsHere). All of them except the database's
 * page writes, of which each frame's transaction (between the frame's link and
 * its temp file's unlink) gives its first and last, and SPREAD more are spread
 * over the run.
 */
function killPoints(calls: readonly TracedCall[], root: string): KillPoint[] {
  const mine = calls.filter((call) => call.args.includes(root) && killsHere(calls, call));
  const point = (call: TracedCall, what: string): KillPoint => ({
    name: call.name,
    when: call.ordinal,
    what,
  });
  // mkdir -p tries each level: the calls that create a folder, the first and the last of them.
  const folders = mine.filter((call) => call.name.startsWith('mkdir') && / = 0$/.test(call.args));
  const points = mine
    .filter((call) => call.name !== 'pwrite64' && !call.name.startsWith('mkdir'))
    .concat([folders[0], folders.at(-1)].filter((call) => call !== undefined))
    .map((call) => point(call, `${call.name} #${call.ordinal} (${shortPath(call.args, root)})`));
  const pages = mine.filter((call) => call.name === 'pwrite64');
  const links = mine.filter((call) => call.name === 'link' || call.name === 'linkat');
  const unlinks = mine.filter(
    (call) => (call.name === 'unlink' || call.name === 'unlinkat') && call.args.includes('.tmp'),
  );
  links.forEach((link, frame) => {
    const end = unlinks.find((unlink) => unlink.line > link.line)?.line ?? Infinity;
    const row = pages.filter((page) => page.line > link.line && page.line < end);
    if (row.length > 0)
      points.push(point(row[0]!, `frame ${frame + 1}'s row: its first database write`));
    if (row.length > 1)
      points.push(point(row.at(-1)!, `frame ${frame + 1}'s row: its last database write`));
  });
  for (let i = 0; i < SPREAD; i++) {
    const page = pages[Math.floor(((i + 0.5) * pages.length) / SPREAD)];
    if (page) points.push(point(page, `database write #${page.ordinal} of ${pages.length}`));
  }
  const seen = new Set<string>();
  return points.filter((p) => !seen.has(`${p.name}:${p.when}`) && seen.add(`${p.name}:${p.when}`));
}

function shortPath(args: string, root: string): string {
  const at = args.indexOf(root);
  return at < 0
    ? args.slice(0, 40)
    : args.slice(at + root.length, at + root.length + 60).split(/[>"]/)[0]!;
}
