import { STATUS_CODES } from 'node:http';
import { Agent, fetch, type Dispatcher, type Response } from 'undici';
import type { HttpAuth, HttpSourceOptions } from '../../../shared/contract';
import { MAX_FRAME_BYTES } from '../../imaging/frame-file';
import { CaptureSourceError } from '../errors';
import type { PollingSource } from '../types';
import { DigestSession, parseChallenges, pickDigest, type Challenge } from './digest-auth';
import { readCapped } from './read-capped';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export const HTTP_DEFAULTS = { timeout_ms: 10_000, max_bytes: 20 * 1024 * 1024, max_redirects: 3 };

/** One connection pool for every camera that accepts an unverified certificate. */
let trustingAgent: Agent | undefined;
const trustAnyCertificate = (): Dispatcher =>
  (trustingAgent ??= new Agent({ connect: { rejectUnauthorized: false } }));

/** How the next request proves who asks, learned from the camera's last challenge. */
type Answer = { scheme: 'basic'; header: string } | { scheme: 'digest'; session: DigestSession };

/**
 * A camera's snapshot URL (undici's fetch). One request per frame with a
 * timeout over the whole exchange; basic or digest authentication (from the
 * URL or the options; dropped when a redirect leaves the origin), answered
 * from the camera's challenge and remembered, so later frames take one
 * request; optionally a self-signed https certificate; at most
 * `max_redirects` redirects, and an image/* answer of at most `max_bytes`.
 */
export class HttpSource implements PollingSource {
  readonly kind = 'poll';
  private readonly url: URL;
  private readonly credentials: { username: string; password: string } | undefined;
  private readonly auth: HttpAuth;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly options: typeof HTTP_DEFAULTS;
  private answer: Answer | undefined;

  constructor(url: string, options: HttpSourceOptions = {}) {
    this.url = new URL(url);
    const username = options.username ?? decodeURIComponent(this.url.username);
    const password = options.password ?? decodeURIComponent(this.url.password);
    // fetch refuses URLs with credentials: they travel in the header instead.
    this.url.username = '';
    this.url.password = '';
    this.credentials = username || password ? { username, password } : undefined;
    this.auth = options.auth ?? 'auto';
    if (this.credentials && this.auth === 'basic') this.answer = basic(this.credentials);
    this.dispatcher = options.insecure_tls ? trustAnyCertificate() : undefined;
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
        `snapshot request failed: ${describe(error, this.url)}`,
        'source_unreachable',
        { ...this.where(), cause: causeCode(error) },
      );
    }
  }

  private async follow(signal: AbortSignal): Promise<Response> {
    let url = this.url;
    for (let redirects = 0; ; redirects++) {
      const response = await this.authenticated(url, signal);
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

  /**
   * One request, answering a challenge once: with what the last challenge
   * taught (nothing yet, or an expired nonce), a 401 brings a new challenge
   * to answer; a 401 to that answer means the camera refuses the credentials.
   */
  private async authenticated(url: URL, signal: AbortSignal): Promise<Response> {
    const sameOrigin = url.origin === this.url.origin;
    const credentials = sameOrigin ? this.credentials : undefined;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { accept: 'image/*' };
      const sent = credentials ? this.answer : undefined;
      if (sent) headers.authorization = authorization(sent, url);
      const response = await fetch(url, {
        redirect: 'manual',
        signal,
        headers,
        dispatcher: this.dispatcher,
      });
      if (response.status !== 401) return response;
      await response.body?.cancel();
      const challenges = parseChallenges(response.headers.get('www-authenticate'));
      const asked = challenges.map((c) => c.scheme).join(' or ') || 'no scheme named';
      if (!credentials) {
        throw this.authError(
          `the camera asks for a user name and password (HTTP 401, ${asked})`,
          challenges,
        );
      }
      const stale = challenges.some(
        (c) => c.scheme === 'digest' && /^true$/i.test(c.params.stale ?? ''),
      );
      if ((attempt > 1 || (sent && this.auth === 'basic')) && !stale) {
        throw this.authError(
          `the camera refused the user name or password (HTTP 401, ${asked})`,
          challenges,
        );
      }
      if (attempt > 2)
        throw this.authError('the camera keeps sending new challenges (HTTP 401)', challenges);
      this.answer = this.learn(challenges, credentials);
    }
  }

  /** The answer to a challenge, as far as this camera's `auth` setting allows. */
  private learn(
    challenges: Challenge[],
    credentials: { username: string; password: string },
  ): Answer {
    const digest = pickDigest(challenges);
    if (digest)
      return {
        scheme: 'digest',
        session: new DigestSession(digest, credentials.username, credentials.password),
      };
    const offersBasic = challenges.some((c) => c.scheme === 'basic');
    if (offersBasic && this.auth === 'digest') {
      throw this.authError(
        'the camera asks for basic authentication, but this camera is set to digest only (basic would send the password itself)',
        challenges,
      );
    }
    if (offersBasic || challenges.length === 0) return basic(credentials);
    throw this.authError(
      `the camera asks for ${challenges.map((c) => c.scheme).join(', ')} authentication, which Timelapser does not speak (basic and digest)`,
      challenges,
    );
  }

  private authError(message: string, challenges: Challenge[]): CaptureSourceError {
    return new CaptureSourceError(message, 'source_auth', {
      ...this.where(),
      status: 401,
      schemes: challenges.map((c) => c.scheme),
    });
  }

  private async body(response: Response, signal: AbortSignal): Promise<Buffer> {
    if (!response.ok) {
      await response.body?.cancel();
      throw new CaptureSourceError(
        `snapshot answered HTTP ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trim(),
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

function basic({ username, password }: { username: string; password: string }): Answer {
  return {
    scheme: 'basic',
    header: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
  };
}

function authorization(answer: Answer, url: URL): string {
  return answer.scheme === 'basic'
    ? answer.header
    : answer.session.authorization('GET', `${url.pathname}${url.search}`);
}

const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

function causeCode(error: unknown): string | null {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? null;
}

/** Why the request failed, in words a camera owner can act on. */
function describe(error: unknown, url: URL): string {
  const code = causeCode(error);
  const host = url.hostname;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot find host "${host}" (DNS lookup failed, ${code})`;
    case 'ECONNREFUSED':
      return `connection refused by ${host}:${port}: nothing listens there (ECONNREFUSED)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} cannot be reached from this machine (${code})`;
    case 'ECONNRESET':
      return `${host}:${port} closed the connection (ECONNRESET)`;
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return `${host}:${port} does not speak https (try http://)`;
    default:
      if (code && CERTIFICATE_CODES.test(code)) {
        return `the camera's https certificate is not trusted (${code}): if it is self-signed, turn on "accept self-signed certificate"`;
      }
  }
  const cause = (error as { cause?: { message?: string } }).cause;
  return code ?? cause?.message ?? (error as Error).message ?? String(error);
}
