import { protocol } from 'electron';
import { IMAGE_SCHEME, parseVideoUrl } from '../../shared/contract';
import type { Api } from '../api';
import { serveImageUrl, serveVideoUrl } from './image-response';

/**
 * Must run before the app is ready: the scheme loads like https (fetch,
 * cache, CSP 'timelapser:'), and streams, so a <video> can seek with ranges.
 */
export function registerImageSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: IMAGE_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    },
  ]);
}

/**
 * timelapser://images/{id}/{variant}, timelapser://cameras/{id}/latest-image/{variant}
 * and timelapser://videos/{id}/file, served like HTTP.
 */
export function handleImageProtocol(api: Api): () => void {
  protocol.handle(IMAGE_SCHEME, (request) =>
    parseVideoUrl('scheme', request.url)
      ? serveVideoUrl(api, request.url, request.headers)
      : serveImageUrl(api, request.url, request.headers.get('if-none-match')),
  );
  return () => protocol.unhandle(IMAGE_SCHEME);
}
