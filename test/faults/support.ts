import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { baselineJpeg, scene } from '../helpers/images';
import type { CliRun } from '../adapters/cli/cli-helpers';

/**
 * What the fault tests check a library against after the fault: the one
 * database and the files, read directly (a read-only connection, the tree
 * listed), so a bug in the code under test cannot hide a bug in what it wrote.
 */
export interface LibraryFacts {
  integrity: string;
  images: number;
  /** Rows whose frame, thumbnail or small file is missing (or whose variant path is NULL). */
  withoutFrame: string[];
  withoutThumbnail: string[];
  withoutSmall: string[];
  /** Files in frames/, thumbnails/ or smalls/ that no row references. */
  strays: string[];
  /** Files left in the temp folder. */
  temp: string[];
  /** sha256 of each stored frame's bytes → how many rows hold those bytes. */
  frameHashes: Map<string, number>;
  failedJobs: number;
  /** Jobs that spent a retry (a full disk must spend none). */
  retriedJobs: number;
  liveJobs: number;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function libraryFacts(root: string): LibraryFacts {
  const db = new Database(join(root, 'timelapser.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT file_path, thumbnail_path, small_path FROM images').all() as {
      file_path: string;
      thumbnail_path: string | null;
      small_path: string | null;
    }[];
    const referenced = new Set<string>();
    const facts: LibraryFacts = {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      images: rows.length,
      withoutFrame: [],
      withoutThumbnail: [],
      withoutSmall: [],
      strays: [],
      temp: readdirSync(join(root, '.tmp')),
      frameHashes: new Map(),
      failedJobs: count(
        db,
        "SELECT count(*) FROM thumbnail_generation_jobs WHERE status = 'failed'",
      ),
      retriedJobs: count(
        db,
        'SELECT count(*) FROM thumbnail_generation_jobs WHERE retry_count > 0',
      ),
      liveJobs: count(
        db,
        "SELECT count(*) FROM thumbnail_generation_jobs WHERE status IN ('pending','processing','retry')",
      ),
    };
    for (const row of rows) {
      for (const path of [row.file_path, row.thumbnail_path, row.small_path])
        if (path) referenced.add(path);
      if (!existsSync(join(root, row.file_path))) facts.withoutFrame.push(row.file_path);
      else {
        const hash = sha256(readFileSync(join(root, row.file_path)));
        facts.frameHashes.set(hash, (facts.frameHashes.get(hash) ?? 0) + 1);
      }
      if (!row.thumbnail_path || !existsSync(join(root, row.thumbnail_path)))
        facts.withoutThumbnail.push(row.file_path);
      if (!row.small_path || !existsSync(join(root, row.small_path)))
        facts.withoutSmall.push(row.file_path);
    }
    for (const file of treeFiles(root)) if (!referenced.has(file)) facts.strays.push(file);
    return facts;
  } finally {
    db.close();
  }
}

/** Every file under cameras/*\/timelapse-*\/{frames,thumbnails,smalls}, root-relative. */
function treeFiles(root: string): string[] {
  const files: string[] = [];
  const cameras = join(root, 'cameras');
  if (!existsSync(cameras)) return files;
  for (const camera of readdirSync(cameras)) {
    for (const timelapse of readdirSync(join(cameras, camera))) {
      for (const kind of ['frames', 'thumbnails', 'smalls']) {
        const folder = join(cameras, camera, timelapse, kind);
        if (!existsSync(folder)) continue;
        for (const name of readdirSync(folder)) files.push(relative(root, join(folder, name)));
      }
    }
  }
  return files;
}

function count(db: Database.Database, sql: string): number {
  return db.prepare(sql).pluck().get() as number;
}

/**
 * A folder of camera frames to import, a minute apart from `start` (their
 * modification times are their capture times), baseline and progressive
 * JPEGs of a sky-and-ground scene. Answers each file's sha256.
 */
export async function frameFolder(
  folder: string,
  count: number,
  start: Date,
  seed = 1,
  { width, height } = { width: 640, height: 480 },
): Promise<string[]> {
  mkdirSync(folder, { recursive: true });
  const hashes: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes =
      i % 3 === 2
        ? await scene(width, height, seed + i)
            .jpeg({ quality: 85, progressive: true })
            .toBuffer()
        : await baselineJpeg(width, height, seed + i);
    const path = join(folder, `IMG_${String(i + 1).padStart(4, '0')}.jpg`);
    writeFileSync(path, bytes);
    const at = new Date(start.getTime() + i * 60_000);
    utimesSync(path, at, at);
    hashes.push(sha256(bytes));
  }
  return hashes;
}

/** A process that died of an uncaught error (Node prints its version last) or a signal. */
export function crashed(run: Pick<CliRun, 'code' | 'stderr'>): boolean {
  return (run.code !== 0 && run.code !== 1) || /\nNode\.js v\d+/.test(run.stderr);
}
