/** What a transport hands an operation besides its arguments. */
export interface CallContext {
  /** Cancels a long operation (the CLI's Ctrl+C). */
  signal?: AbortSignal;
  /** Progress of a long operation (the CLI's progress bar). */
  onProgress?: (done: number, total: number | null) => void;
}
