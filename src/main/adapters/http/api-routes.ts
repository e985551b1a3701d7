import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  JSON_CONTENT_TYPE,
  OPERATION_NAMES,
  argumentNames,
  operations,
  type HttpRoute,
  type OperationName,
} from '../../../shared/contract';
import type { Api } from '../../api';
import { ValidationError } from '../../errors';
import { QueryArgumentsError, UnsupportedMediaTypeError } from './http-errors';

export type RateLimitClass = NonNullable<HttpRoute['rateLimit']>;

export interface RateLimit {
  max: number;
  timeWindowMs: number;
}

/** Per client and route: maintenance runs over the whole library; bulk reads come with scrolling. */
export const DEFAULT_RATE_LIMITS: Record<RateLimitClass, RateLimit> = {
  maintenance: { max: 30, timeWindowMs: 60_000 },
  bulk: { max: 600, timeWindowMs: 60_000 },
};

/** A route that answers an operation itself (a streamed body), given the arguments. */
export type OperationRoute = (
  args: Record<string, unknown>,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<unknown>;

/**
 * One route per operation of the contract, at the path and method the
 * contract names; validation is the contract's. A GET reads its arguments
 * from the path and the query string, ignoring query keys the operation does
 * not take (cache busters). A POST or DELETE changes state, so it takes them
 * from the path and a JSON body only: another content type is 415 before the
 * body is read (a form post or a no-cors fetch from another site cannot send
 * JSON), an empty JSON body is a call without arguments, and arguments in the
 * query string are refused.
 */
export function registerApiRoutes(
  app: FastifyInstance,
  api: Api,
  limits: Record<RateLimitClass, RateLimit>,
  custom: Partial<Record<OperationName, OperationRoute>> = {},
): void {
  for (const name of OPERATION_NAMES) {
    const { method, path, rateLimit } = operations[name].http;
    const limit = rateLimit && limits[rateLimit];
    const mutates = operations[name].mutates;
    const known = new Set(argumentNames(name));
    const answer = custom[name];
    app.route({
      method,
      url: path,
      config: limit ? { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } } : {},
      onRequest: mutates ? async (request) => assertJsonMutation(request) : undefined,
      handler: async (request, reply) => {
        const args = mutates ? bodyArguments(request) : queryArguments(request, known);
        if (answer) return answer(args, request, reply);
        return { success: true, data: await api.call(name, args) };
      },
    });
  }
}

function assertJsonMutation(request: FastifyRequest): void {
  const type = request.headers['content-type'] ?? null;
  if (mediaType(type) !== JSON_CONTENT_TYPE) throw new UnsupportedMediaTypeError(type);
  const keys = Object.keys(request.query as object);
  if (keys.length > 0) throw new QueryArgumentsError(keys);
}

/** `application/json; charset=utf-8` → `application/json`. */
function mediaType(header: string | null): string | null {
  return header === null ? null : header.split(';', 1)[0]!.trim().toLowerCase();
}

function bodyArguments(request: FastifyRequest): Record<string, unknown> {
  const body = request.body === undefined ? {} : request.body; // undefined: an empty body
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ValidationError('The request body must be a JSON object');
  return { ...(body as object), ...(request.params as object) };
}

function queryArguments(
  request: FastifyRequest,
  known: ReadonlySet<string>,
): Record<string, unknown> {
  const query = Object.entries(request.query as Record<string, unknown>).filter(([key]) =>
    known.has(key),
  );
  return { ...Object.fromEntries(query), ...(request.params as object) };
}
