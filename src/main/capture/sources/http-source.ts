import type { HttpSourceOptions } from '../../../shared/contract';
import { MAX_FRAME_BYTES } from '../../imaging/frame-file';
import { CaptureSourceError } from '../errors';
import type { PollingSource } from '../types';
import { readCapped } from './read-capped';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export const HTTP_DEFAULTS = { timeout_ms: 10_000, max_bytes: 20 * 1024 * 1024, max_redirects: 3 };

/**
 * A camera's snapshot URL (Node's fetch). One request per frame with a timeout
 * over the whole exchange, basic auth (from the URL or the options; dropped when
 * a redirect leaves the origin), at most `max_redirects` redirects, and an
 * image/* answer of at most `max_bytes`.
 */
export class HttpSource implements PollingSource {
  readonly kind = 'poll';
  private readonly url: URL;
  private readonly authorization: string | undefined;
  private readonly options: typeof HTTP_DEFAULTS;

  constructor(url: string, options: HttpSourceOptions = {}) {
    this.url = new URL(url);
    const username = options.username ?? decodeURIComponent(this.url.username);
    const password = options.password ?? decodeURIComponent(this.url.password);
    // fetch refuses URLs with credentials: they travel in the header instead.
    this.url.username = '';
    this.url.password = '';
    this.authorization =
      username || password
        ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
        : undefined;
    this.options = {
      timeout_ms: options.timeout_ms ?? HTTP_DEFAULTS.timeout_ms,
      max_bytes: Math.min(options.max_bytes ?? HTTP_DEFAULTS.max_bytes, MAX_FRAME_BYTES),
      max_redirects: options.max_redirects ?? HTTP_DEFAULTS.max_redirects,
    };
  }

  async grab(signal: AbortSignal): Promise<Buffer> {
    const timeout = AbortSignal.timeout(this.options.timeout_ms);
    const combined = AbortSignal.any([signal, timeout]);
    try {
      const response = await this.follow(combined);
      return await this.body(response, combined);
    } catch (error) {
      if (signal.aborted) throw error;
      if (timeout.aborted) {
        throw new CaptureSourceError(
          `no snapshot within ${this.options.timeout_ms} ms`,
          'source_timeout',
          this.where(),
        );
      }
      if (error instanceof CaptureSourceError) throw error;
      throw new CaptureSourceError(
        `snapshot request failed: ${describe(error)}`,
        'source_unreachable',
        this.where(),
      );
    }
  }

  private async follow(signal: AbortSignal): Promise<Response> {
    let url = this.url;
    for (let redirects = 0; ; redirects++) {
      const sameOrigin = url.origin === this.url.origin;
      const headers: Record<string, string> = { accept: 'image/*' };
      if (this.authorization && sameOrigin) headers.authorization = this.authorization;
      const response = await fetch(url, { redirect: 'manual', signal, headers });
      if (!REDIRECT_STATUSES.has(response.status)) return response;
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location)
        throw new CaptureSourceError(
          'redirect without a location',
          'source_http_status',
          this.where(),
        );
      if (redirects >= this.options.max_redirects) {
        throw new CaptureSourceError(
          `more than ${this.options.max_redirects} redirects`,
          'source_too_many_redirects',
          this.where(),
        );
      }
      url = new URL(location, url);
    }
  }

  private async body(response: Response, signal: AbortSignal): Promise<Buffer> {
    if (!response.ok) {
      await response.body?.cancel();
      throw new CaptureSourceError(
        `snapshot answered HTTP ${response.status}`,
        'source_http_status',
        {
          ...this.where(),
          status: response.status,
        },
      );
    }
    const type = response.headers.get('content-type') ?? '';
    if (!/^image\//i.test(type)) {
      await response.body?.cancel();
      throw new CaptureSourceError(
        `snapshot is not an image (content-type "${type}")`,
        'source_bad_content_type',
        {
          ...this.where(),
          content_type: type,
        },
      );
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > this.options.max_bytes) {
      await response.body?.cancel();
      throw this.tooLarge(declared);
    }
    const bytes = await readCapped(response.body, this.options.max_bytes, signal);
    if (bytes === null) throw this.tooLarge(null);
    if (bytes.length === 0)
      throw new CaptureSourceError('snapshot was empty', 'source_empty', this.where());
    return bytes;
  }

  private tooLarge(declared: number | null): CaptureSourceError {
    return new CaptureSourceError(
      `snapshot larger than ${this.options.max_bytes} bytes`,
      'source_too_large',
      {
        ...this.where(),
        max_bytes: this.options.max_bytes,
        content_length: declared,
      },
    );
  }

  /** The URL for error details, without credentials. */
  private where(): Record<string, unknown> {
    return { url: this.url.href };
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
