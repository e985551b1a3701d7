import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { NotFoundError } from '../errors';
import { errorResponse, type Api } from '../api';
import { parseImageUrl, parseVideoUrl } from '../../shared/contract';

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
    const body = Buffer.isBuffer(reply.body) ? new Uint8Array(reply.body) : webBody(reply.body);
    return new Response(body, { status: reply.status, headers: reply.headers });
  } catch (error) {
    return errorJson(api, error);
  }
}

/** timelapser://videos/{id}/file like the HTTP route: byte ranges (a <video> seeks with them), 304, errors as JSON. */
export async function serveVideoUrl(api: Api, url: string, headers: Headers): Promise<Response> {
  try {
    const request = parseVideoUrl('scheme', url);
    if (!request) throw new NotFoundError('No such video URL', { url });
    const reply = await api.videoFiles.serve(request.videoId, {
      range: headers.get('range'),
      ifNoneMatch: headers.get('if-none-match'),
      download: request.download,
    });
    return new Response(webBody(reply.body), { status: reply.status, headers: reply.headers });
  } catch (error) {
    return errorJson(api, error);
  }
}

function webBody(body: Readable | undefined): ReadableStream<Uint8Array> | null {
  return body === undefined
    ? null
    : (Readable.toWeb(body) as NodeWebStream<Uint8Array> as unknown as ReadableStream<Uint8Array>);
}

function errorJson(api: Api, error: unknown): Response {
  const body = errorResponse(error, api.log);
  return Response.json(body, { status: body.status_code });
}
