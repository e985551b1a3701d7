import { Readable } from 'node:stream';
import { DATA_URI_PREFIX, type Api, type BatchStream } from '../../api';
import type { OperationRoute } from './api-routes';
import { ServerBusyError, TooManyBatchesError } from './http-errors';

export interface BatchLimits {
  /** Batch responses being sent at once, over all clients (beyond: 503). */
  total: number;
  /** …and per client address (beyond: 429). */
  perClient: number;
}

/**
 * A streamed batch holds a few files at a time, but a hundred of them still
 * add up; the rate limit counts requests, not the ones in flight. The
 * renderer retries a refused batch shortly after.
 */
export const DEFAULT_BATCH_LIMITS: BatchLimits = { total: 6, perClient: 2 };

const RETRY_AFTER_SECONDS = '1';

/**
 * `GET /api/images/batch` as a stream: the envelope is written around the
 * entries as they are read, with backpressure, so a slow client holds
 * little. Bounded by BatchLimits; a slot is freed when the response closes
 * (sent or abandoned).
 */
export function batchRoute(api: Api, limits: BatchLimits): OperationRoute {
  const gate = new ConcurrencyGate(limits);
  return async (args, request, reply) => {
    let release: () => void;
    try {
      release = gate.enter(request.ip);
    } catch (error) {
      reply.header('retry-after', RETRY_AFTER_SECONDS);
      throw error;
    }
    try {
      const batch = api.images.openBatch(args);
      reply.raw.once('close', release);
      // A couple of entries queued ahead of the socket, no more (each is up to a few hundred KB).
      const body = Readable.from(envelope(batch), { highWaterMark: 2 });
      return reply.type('application/json; charset=utf-8').send(body);
    } catch (error) {
      release();
      throw error;
    }
  };
}

/** Bytes of an inline variant per base64 piece written (a multiple of 3: pieces join cleanly). */
const BASE64_PIECE = 48 * 1024;

/**
 * `{"success":true,"data":{"size",…,"images":[…],"missing_ids":[…]}}`, one
 * entry at a time, each inline variant in base64 pieces of 64 KB: small
 * strings die young, where whole data URIs (up to ~300 KB, a few copies
 * each) would pile up as large objects until a full garbage collection.
 */
async function* envelope(batch: BatchStream): AsyncGenerator<string> {
  yield `{"success":true,"data":{"size":${JSON.stringify(batch.size)},"images":[`;
  let separator = '';
  for await (const { image, inline } of batch.images) {
    const fields = JSON.stringify(image).slice(0, -1);
    if (!inline) {
      yield `${separator}${fields},"data_uri":null}`;
    } else {
      yield `${separator}${fields},"data_uri":"${DATA_URI_PREFIX}`;
      for (let at = 0; at < inline.length; at += BASE64_PIECE) {
        yield inline.subarray(at, at + BASE64_PIECE).toString('base64');
      }
      yield '"}';
    }
    separator = ',';
  }
  yield `],"missing_ids":${JSON.stringify(batch.missing_ids)}}}`;
}

/** Counts responses in flight, in total and per client. */
class ConcurrencyGate {
  private total = 0;
  private readonly perClient = new Map<string, number>();

  constructor(private readonly limits: BatchLimits) {}

  /** Takes a slot or throws (429 for this client, 503 for everyone); answers its release. */
  enter(client: string): () => void {
    const mine = this.perClient.get(client) ?? 0;
    if (mine >= this.limits.perClient) throw new TooManyBatchesError(this.limits.perClient);
    if (this.total >= this.limits.total) throw new ServerBusyError(this.limits.total);
    this.total++;
    this.perClient.set(client, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    };
  }
}
