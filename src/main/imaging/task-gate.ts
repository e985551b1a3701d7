/**
 * A FIFO admission gate in front of the pool: at most `capacity` tasks are
 * handed to workers at once, so a task's timeout clock starts when a worker
 * takes it, not while it waits behind a bulk regeneration.
 */
export class TaskGate {
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #idleWaiters: (() => void)[] = [];

  constructor(private readonly capacity: number) {}

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Resolves when a slot is ours; rejects with the signal's reason if aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.#active < this.capacity) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const admit = () => {
        signal?.removeEventListener('abort', onAbort);
        this.#active++;
        resolve();
      };
      const onAbort = () => {
        this.#waiting.splice(this.#waiting.indexOf(admit), 1);
        this.#notifyIfIdle();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(admit);
    });
  }

  release(): void {
    this.#active--;
    const next = this.#waiting.shift();
    if (next) next();
    else this.#notifyIfIdle();
  }

  /** Resolves once nothing runs or waits. */
  idle(): Promise<void> {
    if (this.#active === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #notifyIfIdle(): void {
    if (this.#active !== 0 || this.#waiting.length !== 0) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
