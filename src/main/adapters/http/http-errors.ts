import { TimelapserError } from '../../errors';

/** The errors only the HTTP server answers: who may ask, and how. */

export class ForbiddenHostError extends TimelapserError {
  constructor(host: string | null) {
    super('Host not allowed', 'forbidden_host', 403, { host });
  }
}

/** Another site's page made this request (its Origin or Sec-Fetch-Site says so). */
export class CrossOriginError extends TimelapserError {
  constructor(details: { origin: string | null; sec_fetch_site: string | null }) {
    super('Cross-origin requests are not allowed', 'cross_origin', 403, details);
  }
}

export class UnauthorizedError extends TimelapserError {
  constructor() {
    super('A valid bearer token is required', 'unauthorized', 401);
  }
}

/** A state change must come as JSON; form posts and text bodies (what other sites can send) are refused. */
export class UnsupportedMediaTypeError extends TimelapserError {
  constructor(contentType: string | null) {
    super(
      'State-changing requests take a JSON body (Content-Type: application/json)',
      'unsupported_media_type',
      415,
      { content_type: contentType },
    );
  }
}

/** Arguments of a state change in the query string: refused rather than ignored (a dry run must not turn real). */
export class QueryArgumentsError extends TimelapserError {
  constructor(keys: string[]) {
    super(
      'State-changing requests take their arguments from the JSON body, not the query string',
      'query_not_allowed',
      400,
      { query_keys: keys },
    );
  }
}

/** This client already has as many batch responses in flight as it may. */
export class TooManyBatchesError extends TimelapserError {
  constructor(limit: number) {
    super(`At most ${limit} batch requests per client at once`, 'too_many_requests', 429, {
      per_client: limit,
    });
  }
}

/** The server is sending as many batch responses as it may at once. */
export class ServerBusyError extends TimelapserError {
  constructor(limit: number) {
    super(`The server is busy sending ${limit} batches; try again shortly`, 'busy', 503, {
      total: limit,
    });
  }
}
