import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { EVENTS_PATH, LAST_EVENT_ID_PARAM, type CoreEvent } from '../../../shared/contract';
import type { EventFeed } from '../../api/host';

export interface EventStreamOptions {
  /** A comment line this often keeps proxies and idle timers from closing the stream. */
  heartbeatMs: number;
  /** A client this far behind (bytes queued in its socket) is disconnected; EventSource reconnects. */
  maxBufferedBytes: number;
  /** Recent events kept for clients that reconnect (Last-Event-ID), by count and by bytes. */
  replayEvents: number;
  replayBytes: number;
}

/** What a client that asks to resume from an event we no longer hold (or never sent) gets. */
export const RESYNC_EVENT = 'resync';

/**
 * Server-Sent Events at /api/events: every core event as one `data:` line of
 * JSON with an `id:` (`{run}-{n}`, `run` new each time the server starts). A
 * client that reconnects with `Last-Event-ID` (EventSource sends it on its
 * own reconnects; a new EventSource may pass `?last_event_id=`) first gets
 * every event it missed from a short replay buffer; when that is not
 * possible (the server restarted, or it was away too long) it gets a
 * `resync` event instead and should reload what it shows. Nothing is
 * coalesced here (the services do that); nothing is buffered without bound:
 * a slow client is dropped instead.
 */
export function registerEventStream(
  app: FastifyInstance,
  events: EventFeed,
  options: EventStreamOptions,
): void {
  const open = new Set<(frame: string) => void>();
  const log = new ReplayLog(options.replayEvents, options.replayBytes);
  const unsubscribe = events.subscribe((event) => {
    const frame = log.append(event);
    for (const send of open) send(frame);
  });
  const responses = new Set<ServerResponse>();

  app.get(EVENTS_PATH, (request, reply) => {
    const resumeFrom = lastEventId(request.headers['last-event-id'], request.query);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    const send = (chunk: string) => {
      if (res.destroyed || res.writableEnded) return;
      if (res.writableLength > options.maxBufferedBytes) {
        res.destroy();
        return;
      }
      res.write(chunk);
    };
    send('retry: 3000\n: connected\n\n');
    if (resumeFrom !== null) {
      const missed = log.after(resumeFrom);
      if (missed) missed.forEach(send);
      else send(`event: ${RESYNC_EVENT}\ndata: {}\n\n`);
    }
    open.add(send);
    responses.add(res);
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), options.heartbeatMs);
    res.on('close', () => {
      clearInterval(heartbeat);
      open.delete(send);
      responses.delete(res);
    });
  });

  app.addHook('preClose', async () => {
    for (const res of responses) res.end();
  });
  app.addHook('onClose', async () => unsubscribe());
}

function lastEventId(header: string | string[] | undefined, query: unknown): string | null {
  const fromQuery = (query as Record<string, unknown>)[LAST_EVENT_ID_PARAM];
  const value =
    typeof header === 'string' ? header : typeof fromQuery === 'string' ? fromQuery : '';
  return value.trim() === '' ? null : value.trim();
}

/** The last events sent, as ready frames, bounded by count and by bytes. */
class ReplayLog {
  /** Ids of an earlier run of the server mean nothing to this one. */
  private readonly run = randomBytes(4).toString('hex');
  private next = 1;
  private readonly frames: { seq: number; frame: string }[] = [];
  private bytes = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
  ) {}

  append(event: CoreEvent): string {
    const seq = this.next++;
    const frame = `id: ${this.run}-${seq}\ndata: ${JSON.stringify(event)}\n\n`;
    this.frames.push({ seq, frame });
    this.bytes += frame.length;
    while (
      this.frames.length > this.maxEvents ||
      (this.bytes > this.maxBytes && this.frames.length > 1)
    ) {
      this.bytes -= this.frames.shift()!.frame.length;
    }
    return frame;
  }

  /** The frames after event `id`, or null when the ones in between are not all here. */
  after(id: string): string[] | null {
    const match = /^([0-9a-f]+)-(\d+)$/.exec(id);
    if (!match || match[1] !== this.run) return null;
    const seen = Number(match[2]);
    if (seen >= this.next) return null; // an id we never gave out
    const oldest = this.frames[0]?.seq ?? this.next;
    if (seen < oldest - 1) return null; // some fell out of the buffer
    return this.frames.filter((entry) => entry.seq > seen).map((entry) => entry.frame);
  }
}
