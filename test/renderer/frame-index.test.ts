// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/renderer/src/api/transport';
import { FrameIndex } from '../../src/renderer/src/timelapse/frame-index';
import { batchWindow } from '../../src/renderer/src/timelapse/FrameGrid';
import { imageDto, TestTransport } from './fake-transport';

const TOTAL = 2500;

/** A timelapse of `frames.total` frames with ids 1…total, paged by after_id like the core. */
function timelapseTransport(frames = { total: TOTAL }) {
  return new TestTransport()
    .handle('timelapses.images', ({ after_id, limit }) => {
      const from = Number(after_id ?? 0);
      const TOTAL = frames.total;
      const count = Math.min(Number(limit), TOTAL - from);
      const images = Array.from({ length: count }, (_, i) => imageDto(from + i + 1, 1, new Date(Date.UTC(2026, 0, 1, 0, from + i)).toISOString()));
      return { images, next_after_id: from + count < TOTAL ? from + count : null };
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
  it('with the "flagged only" filter asks for flagged frames and keeps why each is flagged', async () => {
    const transport = new TestTransport().handle('timelapses.images', () => ({
      images: [
        { ...imageDto(7, 1, '2026-01-01T00:07:00.000Z'), is_flagged: true, flag_reason: 'uniform' },
        { ...imageDto(9, 1, '2026-01-01T00:09:00.000Z'), is_flagged: true, flag_reason: 'too_small' },
      ],
      next_after_id: null,
    }));
    const index = new FrameIndex(transport.api(), 1, true);
    await index.ensureIndex(0);
    expect(transport.callsOf('timelapses.images')).toEqual([
      { timelapse_id: 1, after_id: 0, limit: 1000, flagged: true },
    ]);
    expect(index.frames.map((f) => [f.id, f.flag_reason])).toEqual([
      [7, 'uniform'],
      [9, 'too_small'],
    ]);
    await new FrameIndex(transport.api(), 1).ensureIndex(0);
    expect(transport.callsOf('timelapses.images')[1]).not.toHaveProperty('flagged');
  });

  it('pages ids in only as far as asked, one page at a time', async () => {
    const transport = timelapseTransport();
    const index = new FrameIndex(transport.api(), 1);
    await Promise.all([index.ensureIndex(10), index.ensureIndex(1500)]);
    expect(index.frames).toHaveLength(2000);
    expect(transport.callsOf('timelapses.images').map((c) => c.after_id)).toEqual([0, 1000]);
    expect(index.done).toBe(false);
    await index.ensureIndex(99_999);
    expect(index.frames).toHaveLength(TOTAL);
    expect(index.done).toBe(true);
    expect(index.frames[TOTAL - 1]!.id).toBe(TOTAL);
  });

  it('picks up frames captured after it reached the end, asking only for those', async () => {
    const frames = { total: 10 };
    const transport = timelapseTransport(frames);
    const index = new FrameIndex(transport.api(), 1);
    await index.ensureIndex(50);
    expect(index.frames).toHaveLength(10);
    frames.total = 12;
    await index.ensureIndex(11);
    expect(index.frames).toHaveLength(10); // done until told the timelapse grew
    index.expectMore();
    await index.ensureIndex(11);
    expect(index.frames.map((f) => f.id).slice(-3)).toEqual([10, 11, 12]);
    expect(transport.callsOf('timelapses.images').at(-1)!.after_id).toBe(10);
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
