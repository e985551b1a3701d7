import { TimelapserError } from '../errors';

/**
 * The caller aborted a maintenance operation (AbortSignal). Work is committed
 * batch by batch, so what was done before stays consistent. 499 is the
 * "client closed request" convention: nobody is waiting for an answer.
 */
export class OperationCancelledError extends TimelapserError {
  constructor(operation: string) {
    super(`${operation} was cancelled`, 'cancelled', 499, { operation });
  }
}
