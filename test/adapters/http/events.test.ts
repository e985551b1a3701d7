import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../../src/shared/contract';
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

  it('forwards every core event as one data line of JSON, in order', async () => {
    server = await serve(library);
    const response = await fetch(`${server.url}/api/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    const sent: CoreEvent[] = [
      { type: 'jobs_queued', count: 3, priority: 'medium' },
      { type: 'job_completed', job_id: 1, image_id: 7, processing_time_ms: 42 },
      { type: 'settings_changed' },
    ];
    setTimeout(() => sent.forEach((event) => library.core.events.emit(event)), 50);
    const text = await readStream(response, (t) => dataLines(t).length >= sent.length);
    expect(dataLines(text)).toEqual(sent);
    expect(text).toMatch(/^retry: \d+/);
    expect(text).toMatch(/id: \d+\ndata: /);
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
    expect(dataLines(text)).toContainEqual({ type: 'settings_changed' });
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
