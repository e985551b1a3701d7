import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OPERATION_NAMES, operations, type OperationName } from '../../shared/contract';
import type { Api } from '../api';
import { ValidationError } from '../errors';

export interface RateLimit {
  max: number;
  timeWindowMs: number;
}

/**
 * One route per operation of the contract, at the path and method the
 * contract names. Arguments are the path parameters, the query string and
 * the JSON body together (path parameters win); validation is the contract's.
 */
export function registerApiRoutes(app: FastifyInstance, api: Api, rateLimit: RateLimit): void {
  for (const name of OPERATION_NAMES) {
    const { method, path, expensive } = operations[name].http;
    app.route({
      method,
      url: path,
      config: expensive ? { rateLimit: { max: rateLimit.max, timeWindow: rateLimit.timeWindowMs } } : {},
      handler: async (request) => ({ success: true, data: await api.call(name as OperationName, argumentsOf(request)) }),
    });
  }
}

function argumentsOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('The request body must be a JSON object');
  return { ...(request.query as object), ...(body as object), ...(request.params as object) };
}
