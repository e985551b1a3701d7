import type { CoreEventOf } from '../../shared/contract';
import type { EventBus } from '../events/event-bus';

export type Operation = CoreEventOf<'maintenance_progress'>['operation'];

/** Emits `maintenance_progress`, coalesced to one event per interval plus the final one. */
export class ProgressReporter {
  private processed = 0;
  private lastEmit = 0;

  constructor(
    private readonly events: EventBus,
    readonly operation: Operation,
    private readonly total: number | null,
    private readonly intervalMs = 250,
  ) {
    this.emit(false);
  }

  advance(count: number): void {
    this.processed += count;
    if (performance.now() - this.lastEmit >= this.intervalMs) this.emit(false);
  }

  finish(): void {
    this.emit(true);
  }

  private emit(done: boolean): void {
    this.lastEmit = performance.now();
    this.events.emit({
      type: 'maintenance_progress',
      operation: this.operation,
      processed: this.processed,
      total: this.total,
      done,
    });
  }
}
