import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { JSON_CONTENT_TYPE } from '../../../shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';
import type { Api } from '../../api';
import { errorResponse } from '../../api';
import { NotFoundError, TimelapserError } from '../../errors';
import type { EventFeed } from '../../api/host';
import type { Logger } from '../../logging/logger';
import { DEFAULT_RATE_LIMITS, registerApiRoutes, type RateLimit, type RateLimitClass } from './api-routes';
import { DEFAULT_BATCH_LIMITS, batchRoute, type BatchLimits } from './batch-route';
import { installGuard } from './guard';
import { allowedHostNames, isLoopbackHost } from './hosts';
import { registerImageRoutes } from './image-routes';
import { registerEventStream } from './sse';
import { registerVideoRoutes } from './video-routes';

export interface HttpServerOptions {
  api: Api;
  events: EventFeed;
  /** Default 127.0.0.1. Anything that is not loopback requires `tokenHash`. */
  host?: string;
  /** Default 8420; 0 picks a free port. */
  port?: number;
  /** SHA-256 (hex) of the bearer token; required off loopback. */
  tokenHash?: string | null;
  /** Extra Host header names to accept (e.g. a DNS name of this box). */
  allowedHosts?: readonly string[];
  /** The built renderer (out/renderer); null serves the API only. */
  rendererDir?: string | null;
  /** Per-client budgets of the rate-limited routes (defaults: DEFAULT_RATE_LIMITS). */
  rateLimits?: Partial<Record<RateLimitClass, RateLimit>>;
  /** Batch responses in flight at once (defaults: DEFAULT_BATCH_LIMITS). */
  batchLimits?: Partial<BatchLimits>;
  bodyLimitBytes?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  heartbeatMs?: number;
  sseMaxBufferedBytes?: number;
  /** Events kept for clients that reconnect with Last-Event-ID (default 1000). */
  sseReplayEvents?: number;
}

export interface RunningServer {
  app: FastifyInstance;
  /** http://host:port of the bound socket. */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8420;

export class TokenRequiredError extends TimelapserError {
  constructor(host: string) {
    super(`Binding ${host} (not loopback) requires a bearer token`, 'token_required', 500, { host });
  }
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': CONTENT_SECURITY_POLICY,
};

/** Builds the Fastify app: guard, API routes, image and video routes, events and the web UI. */
export async function createHttpApp(options: HttpServerOptions): Promise<FastifyInstance> {
  const host = options.host ?? '127.0.0.1';
  const tokenHash = options.tokenHash ?? null;
  if (!isLoopbackHost(host) && !tokenHash) throw new TokenRequiredError(host);

  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const log = options.api.log.child({ component: 'http' });
  const app = Fastify({
    // Fastify's own lines (listening, closing) go to the core's logger. No
    // line per request: it would drown the rest, and a URL may carry ?token=.
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    forceCloseConnections: true,
    return503OnClosing: true,
    // Slow headers (slowloris) and slow bodies get 408. Node checks these only
    // every connectionsCheckingInterval (30 s by default), so check more often.
    serverFactory: (handler) =>
      createServer(
        {
          headersTimeout,
          requestTimeout,
          keepAliveTimeout: 5_000,
          connectionsCheckingInterval: Math.max(50, Math.min(1000, headersTimeout / 4)),
        },
        handler,
      ),
  });

  app.setErrorHandler((error, _request, reply) => {
    const body = errorResponse(error, log);
    return reply.code(body.status_code).send(body);
  });
  installGuard(app, { allowedHosts: allowedHostNames(host, options.allowedHosts), tokenHash });
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  acceptJsonBodiesOnly(app);

  await app.register(fastifyRateLimit, { global: false });
  const batchLimits = { ...DEFAULT_BATCH_LIMITS, ...options.batchLimits };
  registerApiRoutes(app, options.api, { ...DEFAULT_RATE_LIMITS, ...options.rateLimits }, {
    'images.batch': batchRoute(options.api, batchLimits),
  });
  registerImageRoutes(app, options.api);
  registerVideoRoutes(app, options.api);
  registerEventStream(app, options.events, {
    heartbeatMs: options.heartbeatMs ?? 15_000,
    maxBufferedBytes: options.sseMaxBufferedBytes ?? 1024 * 1024,
    replayEvents: options.sseReplayEvents ?? 1000,
    replayBytes: 1024 * 1024,
  });
  await registerRenderer(app, options.rendererDir ?? null, log);
  return app;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const app = await createHttpApp(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? DEFAULT_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULT_PORT);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { app, host, port, url: `http://${urlHost}:${port}`, close: () => app.close() };
}

/**
 * JSON is the only body the server reads (text/plain and form bodies are what
 * another site's page can send). A JSON request with an empty body is a call
 * without arguments, as clients send for POSTs like verify or cancel.
 */
function acceptJsonBodiesOnly(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_CONTENT_TYPE, { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    return parseJson(request, body as string, done);
  });
}

/** /api, /api/… and /api?… are the API's: an unknown one is the JSON 404, never the web page. */
function isApiPath(url: string): boolean {
  return /^\/api(?:[/?#]|$)/.test(url);
}

/** The built renderer with an SPA fallback, so /kiosk and other client routes load index.html. */
async function registerRenderer(app: FastifyInstance, rendererDir: string | null, log: Logger): Promise<void> {
  const hasRenderer = rendererDir !== null && existsSync(join(rendererDir, 'index.html'));
  if (hasRenderer) await app.register(fastifyStatic, { root: rendererDir, prefix: '/', wildcard: true });
  app.setNotFoundHandler((request, reply) => {
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && !isApiPath(request.url);
    if (hasRenderer && isPage) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    const body = errorResponse(new NotFoundError('Route not found', { method: request.method, url: request.url }), log);
    return reply.code(404).send(body);
  });
}
