import { protocol } from 'electron';
import { IMAGE_SCHEME } from '../../shared/contract';
import type { Api } from '../api';
import { serveImageUrl } from './image-response';

/** Must run before the app is ready: images load like https (fetch, cache, CSP 'timelapser:'). */
export function registerImageSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: IMAGE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** timelapser://images/{id}/{variant} and timelapser://cameras/{id}/latest-image/{variant}, served like HTTP. */
export function handleImageProtocol(api: Api): () => void {
  protocol.handle(IMAGE_SCHEME, (request) => serveImageUrl(api, request.url, request.headers.get('if-none-match')));
  return () => protocol.unhandle(IMAGE_SCHEME);
}
