import { operations, type HttpMethod, type OperationArgs, type OperationName } from './operations';

/** The SSE stream of CoreEvent JSON objects (one `data:` line each). */
export const EVENTS_PATH = '/api/events';

export interface HttpRequestPlan {
  method: HttpMethod;
  /** Path plus query string, relative to the server's origin. */
  url: string;
  /** JSON body for POST, else undefined. */
  body?: string;
}

/**
 * Fills a route template's `:name` segments from `values` (URL-encoded) and
 * answers the values it did not use.
 */
export function fillPath(
  template: string,
  values: Record<string, unknown>,
): { path: string; rest: Record<string, unknown> } {
  const rest = { ...values };
  const path = template.replace(/:([a-z_]+)/g, (_match, key: string) => {
    const value = rest[key];
    delete rest[key];
    return encodeURIComponent(String(value));
  });
  return { path, rest };
}

/**
 * How to call an operation over HTTP: path parameters are filled from the
 * arguments, the rest go in the JSON body (POST) or the query string (GET, DELETE).
 */
export function httpRequestFor<N extends OperationName>(
  name: N,
  args?: OperationArgs<N>,
): HttpRequestPlan {
  const { method, path: template } = operations[name].http;
  const { path, rest } = fillPath(template, (args ?? {}) as Record<string, unknown>);
  if (method === 'POST') return { method, url: path, body: JSON.stringify(rest) };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    query.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const search = query.toString();
  return { method, url: search ? `${path}?${search}` : path };
}
