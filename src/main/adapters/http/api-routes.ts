import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OPERATION_NAMES, operations, type HttpRoute, type OperationName } from '../../../shared/contract';

export type RateLimitClass = NonNullable<HttpRoute['rateLimit']>;
import type { Api } from '../../api';
import { ValidationError } from '../../errors';

export interface RateLimit {
  max: number;
  timeWindowMs: number;
}

/** Per client and route: maintenance runs over the whole library; bulk reads come with scrolling. */
export const DEFAULT_RATE_LIMITS: Record<RateLimitClass, RateLimit> = {
  maintenance: { max: 30, timeWindowMs: 60_000 },
  bulk: { max: 600, timeWindowMs: 60_000 },
};

/**
 * One route per operation of the contract, at the path and method the
 * contract names. Arguments are the path parameters, the query string and
 * the JSON body together (path parameters win); validation is the contract's.
 */
export function registerApiRoutes(
  app: FastifyInstance,
  api: Api,
  limits: Record<RateLimitClass, RateLimit>,
): void {
  for (const name of OPERATION_NAMES) {
    const { method, path, rateLimit } = operations[name].http;
    const limit = rateLimit && limits[rateLimit];
    app.route({
      method,
      url: path,
      config: limit ? { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } } : {},
      handler: async (request) => ({ success: true, data: await api.call(name as OperationName, argumentsOf(request)) }),
    });
  }
}

function argumentsOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('The request body must be a JSON object');
  return { ...(request.query as object), ...(body as object), ...(request.params as object) };
}
