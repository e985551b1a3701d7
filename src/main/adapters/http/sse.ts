import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { EVENTS_PATH } from '../../../shared/contract';
import type { EventFeed } from '../../api/host';

export interface EventStreamOptions {
  /** A comment line this often keeps proxies and idle timers from closing the stream. */
  heartbeatMs: number;
  /** A client this far behind (bytes queued in its socket) is disconnected; EventSource reconnects. */
  maxBufferedBytes: number;
}

/**
 * Server-Sent Events at /api/events: every core event as one `data:` line of
 * JSON. Nothing is coalesced here (the services do that); nothing is buffered
 * without bound: a slow client is dropped instead.
 */
export function registerEventStream(app: FastifyInstance, events: EventFeed, options: EventStreamOptions): void {
  const open = new Set<ServerResponse>();
  let sequence = 0;

  app.get(EVENTS_PATH, (_request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    open.add(res);
    const send = (chunk: string) => {
      if (res.destroyed || res.writableEnded) return;
      if (res.writableLength > options.maxBufferedBytes) {
        res.destroy();
        return;
      }
      res.write(chunk);
    };
    const unsubscribe = events.subscribe((event) => send(`id: ${++sequence}\ndata: ${JSON.stringify(event)}\n\n`));
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), options.heartbeatMs);
    const cleanup = () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
    };
    res.on('close', cleanup);
    send('retry: 3000\n: connected\n\n');
  });

  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });
}
