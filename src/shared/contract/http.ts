import { operations, type HttpMethod, type OperationArgs, type OperationName } from './operations';

/** The SSE stream of CoreEvent JSON objects (one `data:` line each, with an `id:`). */
export const EVENTS_PATH = '/api/events';

/**
 * The query parameter a new EventSource names the last event it saw with
 * (EventSource sends `Last-Event-ID` only on its own reconnects).
 */
export const LAST_EVENT_ID_PARAM = 'last_event_id';

/** The only body a state-changing request may carry (anything else is 415). */
export const JSON_CONTENT_TYPE = 'application/json';

export interface HttpRequestPlan {
  method: HttpMethod;
  /** Path plus query string, relative to the server's origin. */
  url: string;
  /** Request headers: the JSON content type whenever there is a body. */
  headers: Record<string, string>;
  /** The JSON arguments of a POST or DELETE (always an object, `{}` for none); else undefined. */
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
 * arguments; the rest go in a JSON body for POST and DELETE (the server takes
 * a state change's arguments from nowhere else) or the query string for GET.
 */
export function httpRequestFor<N extends OperationName>(
  name: N,
  args?: OperationArgs<N>,
): HttpRequestPlan {
  const { method, path: template } = operations[name].http;
  const { path, rest } = fillPath(template, (args ?? {}) as Record<string, unknown>);
  if (method !== 'GET') {
    return {
      method,
      url: path,
      headers: { 'content-type': JSON_CONTENT_TYPE },
      body: JSON.stringify(rest),
    };
  }
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    query.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const search = query.toString();
  return { method, url: search ? `${path}?${search}` : path, headers: {} };
}
