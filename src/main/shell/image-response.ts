import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { NotFoundError } from '../errors';
import { errorResponse, type Api } from '../api';
import { parseImageUrl } from '../../shared/contract';

/**
 * The Electron protocol's whole answer as a web Response: the same image
 * handler as HTTP (fallback, ETag, Cache-Control, 304), errors in the spec's shape.
 */
export async function serveImageUrl(
  api: Api,
  url: string,
  ifNoneMatch?: string | null,
): Promise<Response> {
  try {
    const request = parseImageUrl('scheme', url);
    if (!request) throw new NotFoundError('No such image URL', { url });
    const reply = await api.images.serve(request.target, request.variant, ifNoneMatch ?? undefined);
    const body =
      reply.body === undefined
        ? null
        : Buffer.isBuffer(reply.body)
          ? new Uint8Array(reply.body)
          : (Readable.toWeb(
              reply.body,
            ) as NodeWebStream<Uint8Array> as unknown as ReadableStream<Uint8Array>);
    return new Response(body, { status: reply.status, headers: reply.headers });
  } catch (error) {
    const body = errorResponse(error, api.log);
    return Response.json(body, { status: body.status_code });
  }
}
