import {
  EVENTS_PATH,
  httpRequestFor,
  imageUrl,
  isOperationName,
  videoUrl,
} from '../../../shared/contract';
import { connectEventStream } from './event-stream';
import { ApiError, unwrap, withVersion, type Transport } from './transport';

/** In a browser served by `timelapser serve`: the contract's HTTP routes, SSE, and /api image paths. */
export function httpTransport(origin = ''): Transport {
  return {
    async invoke(operation, args) {
      if (!isOperationName(operation)) throw new ApiError(`Unknown operation ${operation}`, 400);
      const plan = httpRequestFor(operation, args as never);
      let response: Response;
      try {
        response = await fetch(origin + plan.url, {
          method: plan.method,
          headers: plan.headers,
          body: plan.body,
        });
      } catch (error) {
        throw new ApiError(
          `Server unreachable: ${error instanceof Error ? error.message : String(error)}`,
          0,
        );
      }
      const body: unknown = await response.json().catch(() => null);
      if (body === null)
        throw new ApiError(`HTTP ${response.status} ${response.statusText}`, response.status);
      return unwrap(body, response.status);
    },
    subscribe(onEvent, onState) {
      return connectEventStream(origin + EVENTS_PATH, onEvent, onState);
    },
    imageUrl(target, variant, version) {
      return withVersion(origin + imageUrl('http', target, variant), version);
    },
    videoUrl(videoId, download) {
      return origin + videoUrl('http', videoId, download);
    },
  };
}
