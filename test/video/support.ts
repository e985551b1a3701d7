import { execFile } from 'node:child_process';
import { link, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { DemoSource } from '../../src/main/capture/sources/demo-source';
import type { Core } from '../../src/main/core';
import { clockOf } from '../../src/main/files/names';
import { seedCamera, seedFrame } from '../helpers/temp-library';

const run = promisify(execFile);

export interface Probe {
  codec: string;
  pix_fmt: string;
  width: number;
  height: number;
  /** Frames decoded (ffprobe -count_frames), not the header's claim. */
  frames: number;
  duration: number;
  /** The index (moov) comes before the media data (mdat): +faststart. */
  faststart: boolean;
}

/** What ffprobe says the MP4 is, by decoding it. */
export async function probe(path: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,pix_fmt,width,height,nb_read_frames:format=duration',
    '-of',
    'json',
    path,
  ]);
  const parsed = JSON.parse(stdout) as {
    streams: {
      codec_name: string;
      pix_fmt: string;
      width: number;
      height: number;
      nb_read_frames: string;
    }[];
    format: { duration: string };
  };
  const stream = parsed.streams[0]!;
  return {
    codec: stream.codec_name,
    pix_fmt: stream.pix_fmt,
    width: stream.width,
    height: stream.height,
    frames: Number(stream.nb_read_frames),
    duration: Number(parsed.format.duration),
    faststart: await moovFirst(path),
  };
}

/** Top-level MP4 boxes in order: moov before mdat means the index is at the front. */
async function moovFirst(path: string): Promise<boolean> {
  const bytes = await readFile(path);
  const order: string[] = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (size === 1) size = Number(bytes.readBigUInt64BE(at + 8));
    order.push(type);
    if (size < 8) break;
    at += size;
  }
  return order.indexOf('moov') >= 0 && order.indexOf('moov') < order.indexOf('mdat');
}

export interface SeededTimelapse {
  cameraId: number;
  timelapseId: number;
  /** Image ids in capture order. */
  ids: number[];
}

/**
 * A timelapse of street-scene frames from the demo camera (moving car,
 * burnt-in clock) over `days` days, `perDay` a day, one minute apart.
 * A handful of distinct JPEGs are hard-linked to make many frames cheaply.
 */
export async function seedTimelapse(
  core: Core,
  options: { days: number; perDay: number; width?: number; height?: number; name?: string },
): Promise<SeededTimelapse> {
  const { camera, timelapse } = seedCamera(core, options.name ?? 'Street');
  const size = { width: options.width ?? 1280, height: options.height ?? 720 };
  const start = new Date(2025, 10, 26, 8, 0, 0).getTime();
  const sources: string[] = [];
  const ids: number[] = [];
  for (let day = 1; day <= options.days; day++) {
    for (let i = 0; i < options.perDay; i++) {
      const at = new Date(start + (day - 1) * 86_400_000 + i * 60_000);
      if (sources.length < 6) {
        const jpeg = await new DemoSource(day, size, () => at.getTime()).grab(
          new AbortController().signal,
        );
        const frame = await seedFrame(core, camera.id, timelapse.id, at, jpeg, day);
        sources.push(frame.absolutePath);
        ids.push(frame.image.id);
        continue;
      }
      const key = { timelapseId: timelapse.id, day, clock: clockOf(at), seq: 0 };
      const relative = core.tree.filePath(camera.id, timelapse.id, 'frame', key);
      const absolute = core.tree.resolve(relative);
      await mkdir(dirname(absolute), { recursive: true });
      await link(sources[ids.length % sources.length]!, absolute);
      const image = core.ops.images.insert({
        timelapse_id: timelapse.id,
        camera_id: camera.id,
        file_path: relative,
        captured_at: at.getTime(),
        day_number: day,
        clock: key.clock,
        seq: 0,
        file_size: 1,
      });
      ids.push(image.id);
    }
  }
  return { cameraId: camera.id, timelapseId: timelapse.id, ids };
}
