import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent, CoreEventBody } from '../../../src/shared/contract';
import type { RunningServer } from '../../../src/main/adapters/http/server';
import { useApiLibrary } from '../../api/api-library';
import { serve } from './http-helpers';

/** Reads an SSE stream until `until` holds for the text so far. */
async function readStream(response: Response, until: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (!until(text)) {
    if (Date.now() > deadline) throw new Error(`stream timed out with: ${text}`);
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

const dataLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)) as CoreEvent);

describe('live events over SSE at /api/events', () => {
  const library = useApiLibrary();
  let server: RunningServer;
  afterEach(() => server?.close());

  it('forwards every core event as one data line of JSON with its type, time and fields, in order', async () => {
    server = await serve(library);
    const response = await fetch(`${server.url}/api/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    const before = Date.now();
    const sent: CoreEventBody[] = [
      { type: 'jobs_queued', count: 3, priority: 'medium' },
      { type: 'job_completed', job_id: 1, image_id: 7, processing_time_ms: 42 },
      { type: 'settings_changed' },
    ];
    setTimeout(() => sent.forEach((event) => library.core.events.emit(event)), 50);
    const text = await readStream(response, (t) => dataLines(t).length >= sent.length);
    const received = dataLines(text);
    expect(received).toEqual(sent.map((event) => ({ ...event, timestamp: expect.any(String) })));
    for (const { timestamp } of received) {
      expect(new Date(timestamp).toISOString()).toBe(timestamp);
      expect(Date.parse(timestamp)).toBeGreaterThanOrEqual(before - 1);
      expect(Date.parse(timestamp)).toBeLessThanOrEqual(Date.now());
    }
    expect(text).toMatch(/^retry: \d+/);
    // One id per event, the same for every client, increasing.
    const ids = [...text.matchAll(/^id: (\S+)\ndata: /gm)].map((match) => match[1]!);
    expect(ids).toHaveLength(sent.length);
    expect(ids.map((id) => Number(id.split('-')[1]))).toEqual([1, 2, 3]);
  });

  it('sends events that API operations cause', async () => {
    server = await serve(library);
    const response = await fetch(`${server.url}/api/events`);
    setTimeout(() => {
      void fetch(`${server.url}/api/settings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ thumbnail_quality: 60 }),
      });
    }, 50);
    const text = await readStream(response, (t) => dataLines(t).some((e) => e.type === 'settings_changed'));
    expect(dataLines(text)).toContainEqual({ type: 'settings_changed', timestamp: expect.any(String) });
  });

  describe('resuming after a reconnect', () => {
    const frames = (text: string) =>
      [...text.matchAll(/^id: (\S+)\ndata: (.*)$/gm)].map((match) => ({
        id: match[1]!,
        event: JSON.parse(match[2]!) as CoreEvent,
      }));
    const rejected = (n: number): CoreEventBody => ({
      type: 'frame_rejected',
      camera_id: 1,
      reason: 'empty',
      message: `r${n}`,
      rejected_total: n,
      since_last_frame: n,
    });
    const reasons = (text: string) => frames(text).map(({ event }) => (event.type === 'frame_rejected' ? event.message : event.type));

    /** Reads three events, leaves, misses two; answers the last id seen. */
    async function leaveAfterThree(): Promise<string> {
      const first = await fetch(`${server.url}/api/events`);
      setTimeout(() => [1, 2, 3].forEach((n) => library.core.events.emit(rejected(n))), 50);
      const seen = frames(await readStream(first, (t) => frames(t).length >= 3));
      expect(seen.map(({ event }) => event.type)).toEqual(['frame_rejected', 'frame_rejected', 'frame_rejected']);
      library.core.events.emit(rejected(4));
      library.core.events.emit(rejected(5));
      return seen[2]!.id;
    }

    it('replays what a client missed when it comes back with Last-Event-ID, then goes on live', async () => {
      server = await serve(library);
      const lastSeen = await leaveAfterThree();
      const again = await fetch(`${server.url}/api/events`, { headers: { 'last-event-id': lastSeen } });
      setTimeout(() => library.core.events.emit(rejected(6)), 100);
      const text = await readStream(again, (t) => frames(t).length >= 3);
      expect(reasons(text)).toEqual(['r4', 'r5', 'r6']);
      expect(text).not.toContain('event: resync');
    });

    it('takes the last id from ?last_event_id= too (a new EventSource cannot set the header)', async () => {
      server = await serve(library);
      const lastSeen = await leaveAfterThree();
      const again = await fetch(`${server.url}/api/events?last_event_id=${encodeURIComponent(lastSeen)}`);
      expect(reasons(await readStream(again, (t) => frames(t).length >= 2))).toEqual(['r4', 'r5']);
    });

    it('sends resync when the missed events are gone or the id is from another run of the server', async () => {
      server = await serve(library, { sseReplayEvents: 3 });
      const lastSeen = await leaveAfterThree();
      for (let n = 6; n <= 10; n++) library.core.events.emit(rejected(n)); // r4 falls out of the buffer
      const tooOld = await fetch(`${server.url}/api/events`, { headers: { 'last-event-id': lastSeen } });
      const text = await readStream(tooOld, (t) => t.includes('event: resync'));
      expect(frames(text)).toEqual([]);
      for (const stale of ['0badc0de-2', 'garbage', `${lastSeen.split('-')[0]}-9999`]) {
        const response = await fetch(`${server.url}/api/events`, { headers: { 'last-event-id': stale } });
        expect(await readStream(response, (t) => t.includes('event: resync')), stale).toMatch(/event: resync\ndata: \{\}/);
      }
    });
  });

  it('sends a heartbeat comment while idle', async () => {
    server = await serve(library, { heartbeatMs: 100 });
    const response = await fetch(`${server.url}/api/events`);
    const text = await readStream(response, (t) => (t.match(/: heartbeat/g) ?? []).length >= 2);
    expect(dataLines(text)).toEqual([]);
  });

  it('drops a client that stops reading instead of buffering without bound', async () => {
    server = await serve(library, { sseMaxBufferedBytes: 64 * 1024 });
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
    socket.pause(); // a client that never reads
    await new Promise((resolve) => setTimeout(resolve, 100));

    const payload = 'x'.repeat(4000);
    const emitted = 5000; // about 20 MB, far beyond any socket buffer
    for (let i = 0; i < emitted; i++) {
      library.core.events.emit({
        type: 'frame_rejected',
        camera_id: 1,
        reason: 'corrupt_data',
        message: payload,
        rejected_total: i,
        since_last_frame: i,
      });
    }
    let received = 0;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.resume();
    await closed;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(emitted * payload.length * 0.5);
  });

  it('ends open streams when the server closes', async () => {
    server = await serve(library);
    const response = await fetch(`${server.url}/api/events`);
    const reader = response.body!.getReader();
    await reader.read();
    const closing = server.close();
    let done = false;
    while (!done) done = (await reader.read()).done;
    await closing;
    expect(done).toBe(true);
  });
});
