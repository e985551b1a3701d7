import { LAST_EVENT_ID_PARAM, type CoreEvent } from '../../../shared/contract';
import type { ConnectionState } from './transport';

export interface EventStreamOptions {
  /** The EventSource constructor (injectable so the reconnect logic is testable). */
  EventSourceImpl?: typeof EventSource;
  /** First and longest wait before reconnecting a closed stream. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Server-Sent Events that never give up: the browser retries a dropped stream by
 * itself, but a stream the server refused (restart, 502 from a proxy) is closed
 * for good, so we open a new one with a growing delay. A kiosk on a wall screen
 * reconnects by itself when the server comes back. Nothing is missed: the
 * browser's own retries send Last-Event-ID, and a new stream names the last
 * event seen in its URL, so the server replays what came in between (or, when
 * it cannot, says `resync`; the app reloads its data on every reconnect anyway).
 */
export function connectEventStream(
  url: string,
  onEvent: (event: CoreEvent) => void,
  onState: (state: ConnectionState) => void,
  options: EventStreamOptions = {},
): () => void {
  const { EventSourceImpl = EventSource, minDelayMs = 1000, maxDelayMs = 15_000 } = options;
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = minDelayMs;
  let stopped = false;
  let lastEventId = '';

  const open = () => {
    timer = undefined;
    onState('connecting');
    const current = new EventSourceImpl(resumeUrl(url, lastEventId));
    source = current;
    current.onopen = () => {
      delay = minDelayMs;
      onState('open');
    };
    current.onmessage = (message: MessageEvent<string>) => {
      if (message.lastEventId) lastEventId = message.lastEventId;
      const event = parseEvent(message.data);
      if (event) onEvent(event);
    };
    current.onerror = () => {
      if (stopped || source !== current) return;
      onState('down');
      if (current.readyState !== EventSourceImpl.CLOSED) return;
      timer = setTimeout(open, delay);
      delay = Math.min(delay * 2, maxDelayMs);
    };
  };

  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    source?.close();
  };
}

function resumeUrl(url: string, lastEventId: string): string {
  if (!lastEventId) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${LAST_EVENT_ID_PARAM}=${encodeURIComponent(lastEventId)}`;
}

function parseEvent(data: string): CoreEvent | null {
  try {
    const parsed: unknown = JSON.parse(data);
    return parsed &&
      typeof parsed === 'object' &&
      typeof (parsed as { type?: unknown }).type === 'string'
      ? (parsed as CoreEvent)
      : null;
  } catch {
    // A comment or keep-alive line that is not JSON: nothing to do.
    return null;
  }
}
