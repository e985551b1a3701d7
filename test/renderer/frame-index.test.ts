// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/renderer/src/api/transport';
import { FrameIndex } from '../../src/renderer/src/timelapse/frame-index';
import { batchWindow } from '../../src/renderer/src/timelapse/FrameGrid';
import { encodeFrames, type IndexedFrame } from '../../src/shared/contract';
import { TestTransport } from './fake-transport';

const TOTAL = 2500;
const START = Date.UTC(2026, 0, 1, 6, 0, 0);

/**
 * A timelapse of `frames.total` frames (ids 1…total, one a minute, 600 a day,
 * every 500th a flat "no signal" frame kept with a flag) answered by
 * `timelapses.frames` as the core encodes it.
 */
function timelapseTransport(frames = { total: TOTAL }) {
  const rows = (): IndexedFrame[] =>
    Array.from({ length: frames.total }, (_, i) => ({
      id: i + 1,
      captured_at: START + i * 60_000,
      day_number: 1 + Math.floor(i / 600),
      flag_reason: i % 500 === 499 ? 'uniform' : null,
    }));
  return new TestTransport()
    .handle('timelapses.frames', ({ offset, last_id, flagged }) => {
      const all = rows().filter((row) => !flagged || row.flag_reason !== null);
      const from = Number(offset ?? 0) > 0 && all[Number(offset) - 1]?.id === Number(last_id) ? Number(offset) : 0;
      return encodeFrames(1, from, all.slice(from));
    })
    .handle('images.batch', ({ ids }) => ({
      size: 'thumbnail',
      images: (ids as number[]).map((id) => ({
        image_id: id,
        captured_at: '',
        variant: id % 2 ? 'thumbnail' : 'full',
        etag: '',
        url: `/api/images/${id}/thumbnail`,
        data_uri: id % 2 ? `data:image/jpeg;base64,${id}` : null,
      })),
      missing_ids: [],
    }));
}

afterEach(() => vi.useRealTimers());

describe('FrameIndex', () => {
  it('knows every frame after one answer: id, time and day in capture order, and where each day starts', async () => {
    const transport = timelapseTransport();
    const index = new FrameIndex(transport.api(), 1);
    await index.load();
    expect(index.loaded).toBe(true);
    expect(index.frames).toHaveLength(TOTAL);
    expect(index.frames[TOTAL - 1]).toEqual({
      id: TOTAL,
      captured_at: START + (TOTAL - 1) * 60_000,
      day_number: 5,
      flag_reason: 'uniform',
    });
    expect(index.frames[0]!.flag_reason).toBeNull();
    expect(index.flaggedCount).toBe(5);
    expect(index.days.map((d) => [d.day, d.position, d.count])).toEqual([
      [1, 0, 600],
      [2, 600, 600],
      [3, 1200, 600],
      [4, 1800, 600],
      [5, 2400, 100],
    ]);
    expect(index.days[2]!.captured_at).toBe(START + 1200 * 60_000);
    expect([0, 599, 600, 2499].map((p) => index.dayAt(p)?.day)).toEqual([1, 1, 2, 5]);
    expect(transport.callsOf('timelapses.frames')).toEqual([{ timelapse_id: 1 }]);
  });

  it('then asks only for frames after the last one it knows, and for all again when the timelapse changed under it', async () => {
    const frames = { total: 10 };
    const transport = timelapseTransport(frames);
    const index = new FrameIndex(transport.api(), 1);
    await index.load();
    frames.total = 12;
    await index.load();
    expect(index.frames.map((f) => f.id).slice(-3)).toEqual([10, 11, 12]);
    expect(transport.callsOf('timelapses.frames').at(-1)).toEqual({ timelapse_id: 1, offset: 10, last_id: 10 });
    frames.total = 5;
    await index.load();
    expect(index.frames.map((f) => f.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('asks once more when told to load while a load is running', async () => {
    const frames = { total: 3 };
    const transport = timelapseTransport(frames);
    const index = new FrameIndex(transport.api(), 1);
    const first = index.load();
    frames.total = 4;
    const second = index.load();
    await Promise.all([first, second]);
    expect(index.frames).toHaveLength(4);
  });

  it('with the "flagged only" filter asks for the flagged frames alone and keeps why each is flagged', async () => {
    const transport = timelapseTransport();
    const index = new FrameIndex(transport.api(), 1, true);
    await index.load();
    expect(transport.callsOf('timelapses.frames')).toEqual([{ timelapse_id: 1, flagged: true }]);
    expect(index.frames.map((f) => [f.id, f.day_number, f.flag_reason])).toEqual([
      [500, 1, 'uniform'],
      [1000, 2, 'uniform'],
      [1500, 3, 'uniform'],
      [2000, 4, 'uniform'],
      [2500, 5, 'uniform'],
    ]);
  });

  it('fetches thumbnails in batches of at most 200, once each, falling back to the image URL without inline bytes', async () => {
    const transport = timelapseTransport();
    const index = new FrameIndex(transport.api(), 1);
    const ids = Array.from({ length: 450 }, (_, i) => i + 1);
    await index.loadThumbnails(ids);
    expect(transport.callsOf('images.batch').map((c) => (c.ids as number[]).length)).toEqual([200, 200, 50]);
    expect(index.thumbnail(1)).toBe('data:image/jpeg;base64,1');
    expect(index.thumbnail(2)).toBe('test://image/2/thumbnail');
    await index.loadThumbnails(ids);
    expect(transport.callsOf('images.batch')).toHaveLength(3);
  });

  it.each([
    [429, 'Too many requests'],
    [503, 'The server is busy sending 6 batches'],
  ])('waits and asks again when the server refuses the batch for now (%i)', async (status, message) => {
    vi.useFakeTimers();
    let refuse = true;
    const transport = timelapseTransport();
    const batch = transport.api();
    transport.handle('images.batch', ({ ids }) => {
      if (refuse) throw new ApiError(message, status);
      return { size: 'thumbnail', images: (ids as number[]).map((id) => ({ image_id: id, captured_at: '', variant: 'thumbnail', etag: '', url: '', data_uri: 'data:x' })), missing_ids: [] };
    });
    const index = new FrameIndex(batch, 1);
    await index.loadThumbnails([1, 2, 3]);
    expect(index.error).toBeNull();
    expect(index.thumbnail(1)).toBeUndefined();
    refuse = false;
    await vi.advanceTimersByTimeAsync(3000);
    expect(index.thumbnail(3)).toBe('data:x');
    index.dispose();
  });
});

describe('batchWindow', () => {
  it('widens the rows on screen to one full batch, inside the timelapse', () => {
    expect(batchWindow(1000, 1040, 5000)).toEqual([920, 1120]);
    expect(batchWindow(0, 40, 5000)).toEqual([0, 200]);
    expect(batchWindow(4980, 5000, 5000)).toEqual([4800, 5000]);
    expect(batchWindow(0, 30, 50)).toEqual([0, 50]);
    expect(batchWindow(0, 300, 5000)).toEqual([0, 300]);
  });
});
