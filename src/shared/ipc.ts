/**
 * The IPC wire: one channel carries every operation of the API contract, one
 * carries every event. Preload forwards them generically; main validates.
 */
export const IPC_INVOKE_CHANNEL = 'timelapser:invoke';
export const IPC_EVENT_CHANNEL = 'timelapser:event';

/** What an IPC call answers: the result, or the spec's error shape. */
export type IpcResult<T> =
  | { success: true; data: T }
  | { success: false; error: string; status_code: number; details: Record<string, unknown> };

/** What preload exposes as `window.timelapser`. */
export interface TimelapserBridge {
  invoke(operation: string, args?: unknown): Promise<IpcResult<unknown>>;
  /** Subscribes to every core event; answers the unsubscribe function. */
  onEvent(listener: (event: unknown) => void): () => void;
  /** Image URLs use this scheme inside Electron (timelapser://images/1/thumbnail). */
  readonly imageScheme: string;
}
