// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectEventStream } from '../../src/renderer/src/api/event-stream';
import type { ConnectionState } from '../../src/renderer/src/api/transport';
import type { CoreEvent } from '../../src/shared/contract';

/** The browser's EventSource, driven by the test (jsdom has none). */
class ScriptedEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: ScriptedEventSource[] = [];
  readyState = ScriptedEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((message: MessageEvent<string>) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    ScriptedEventSource.instances.push(this);
  }
  open() {
    this.readyState = ScriptedEventSource.OPEN;
    this.onopen?.();
  }
  send(data: string, lastEventId = '') {
    this.onmessage?.({ data, lastEventId } as MessageEvent<string>);
  }
  fail(readyState: number) {
    this.readyState = readyState;
    this.onerror?.();
  }
  close() {
    this.closed = true;
    this.readyState = ScriptedEventSource.CLOSED;
  }
}

describe('connectEventStream', () => {
  let states: ConnectionState[];
  let events: CoreEvent[];
  let stop: () => void;

  beforeEach(() => {
    vi.useFakeTimers();
    ScriptedEventSource.instances = [];
    states = [];
    events = [];
    stop = connectEventStream(
      '/api/events',
      (e) => events.push(e),
      (s) => states.push(s),
      {
        EventSourceImpl: ScriptedEventSource as unknown as typeof EventSource,
        minDelayMs: 1000,
        maxDelayMs: 4000,
      },
    );
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  const latest = () => ScriptedEventSource.instances[ScriptedEventSource.instances.length - 1]!;

  it('reports open and passes every JSON event on, ignoring lines that are not events', () => {
    latest().open();
    latest().send(JSON.stringify({ type: 'queue_depth', pending: 3, processing: 1, retry: 0 }));
    latest().send('not json');
    latest().send(JSON.stringify({ hello: 1 }));
    expect(states).toEqual(['connecting', 'open']);
    expect(events).toEqual([{ type: 'queue_depth', pending: 3, processing: 1, retry: 0 }]);
  });

  it('says down while the browser retries by itself, without opening a second stream', () => {
    latest().open();
    latest().fail(ScriptedEventSource.CONNECTING);
    expect(states.at(-1)).toBe('down');
    vi.advanceTimersByTime(10_000);
    expect(ScriptedEventSource.instances).toHaveLength(1);
    latest().open();
    expect(states.at(-1)).toBe('open');
  });

  it('reopens a stream the server closed, waiting longer each time up to the limit, and resets after success', () => {
    latest().fail(ScriptedEventSource.CLOSED);
    vi.advanceTimersByTime(999);
    expect(ScriptedEventSource.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(ScriptedEventSource.instances).toHaveLength(2);
    latest().fail(ScriptedEventSource.CLOSED);
    vi.advanceTimersByTime(1999);
    expect(ScriptedEventSource.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(ScriptedEventSource.instances).toHaveLength(3);
    latest().fail(ScriptedEventSource.CLOSED);
    vi.advanceTimersByTime(4000);
    latest().fail(ScriptedEventSource.CLOSED);
    vi.advanceTimersByTime(4000); // capped at maxDelayMs
    expect(ScriptedEventSource.instances).toHaveLength(5);
    latest().open();
    latest().fail(ScriptedEventSource.CLOSED);
    vi.advanceTimersByTime(1000); // back to the first delay after a good connection
    expect(ScriptedEventSource.instances).toHaveLength(6);
    expect(ScriptedEventSource.instances[0]!.url).toBe('/api/events');
  });

  it('names the last event seen when it opens a new stream, so the server replays what was missed', () => {
    latest().open();
    latest().send(JSON.stringify({ type: 'settings_changed', timestamp: '2026-01-02T10:00:00.000Z' }), 'a1b2-7');
    latest().send(': heartbeat is not a message, but an event without id keeps the last one');
    latest().fail(ScriptedEventSource.CONNECTING); // the browser's own retry sends Last-Event-ID itself
    vi.advanceTimersByTime(10_000);
    expect(ScriptedEventSource.instances).toHaveLength(1);
    latest().fail(ScriptedEventSource.CLOSED);
    vi.advanceTimersByTime(1000);
    expect(latest().url).toBe('/api/events?last_event_id=a1b2-7');
  });

  it('stops for good when unsubscribed', () => {
    latest().fail(ScriptedEventSource.CLOSED);
    stop();
    vi.advanceTimersByTime(60_000);
    expect(ScriptedEventSource.instances).toHaveLength(1);
    expect(latest().closed).toBe(true);
  });
});
