import type { CoreEvent, ImageTarget, ImageVariant } from '../../../shared/contract';

/** The event stream's health, as the connection badge shows it. */
export type ConnectionState = 'connecting' | 'open' | 'down';

/**
 * How the renderer reaches the core. Two implementations: IPC through
 * `window.timelapser` inside Electron, HTTP + Server-Sent Events in a browser.
 * Stores and components see only this.
 */
export interface Transport {
  /** Runs one operation of the contract; resolves its data or rejects with an ApiError. */
  invoke(operation: string, args?: unknown): Promise<unknown>;
  /** Every core event, and the stream's state; answers the unsubscribe function. */
  subscribe(
    onEvent: (event: CoreEvent) => void,
    onState: (state: ConnectionState) => void,
  ): () => void;
  /** A URL an <img> can load; `version` busts caches when the picture behind it changed. */
  imageUrl(target: ImageTarget, variant: ImageVariant, version?: string | number): string;
  /** A rendered video's file (seekable by a <video>); `download` makes it an attachment. */
  videoUrl(videoId: number, download?: boolean): string;
}

/** The spec's error shape, as a thrown error. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Unwraps `{success, data}` / `{success:false, error, status_code, details}`. */
export function unwrap(body: unknown, fallbackStatus: number): unknown {
  if (body && typeof body === 'object' && 'success' in body) {
    const answer = body as {
      success: boolean;
      data?: unknown;
      error?: string;
      status_code?: number;
      details?: Record<string, unknown>;
    };
    if (answer.success) return answer.data;
    throw new ApiError(
      answer.error ?? 'Request failed',
      answer.status_code ?? fallbackStatus,
      answer.details ?? {},
    );
  }
  throw new ApiError('Malformed answer from the core', fallbackStatus);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Appends `v=` so a changed picture behind the same path is fetched anew. */
export function withVersion(url: string, version: string | number | undefined): string {
  if (version === undefined) return url;
  return `${url}${url.includes('?') ? '&' : '?'}v=${encodeURIComponent(version)}`;
}
