import { describe, expect, it } from 'vitest';
import { TaskGate } from '../../src/main/imaging/task-gate';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('TaskGate', () => {
  it('admits up to its capacity and queues the rest in order', async () => {
    const gate = new TaskGate(2);
    const admitted: number[] = [];
    const all = [1, 2, 3, 4].map((n) => gate.acquire().then(() => admitted.push(n)));
    await tick();
    expect(admitted).toEqual([1, 2]);
    expect({ active: gate.active, waiting: gate.waiting }).toEqual({ active: 2, waiting: 2 });
    gate.release();
    await tick();
    expect(admitted).toEqual([1, 2, 3]);
    gate.release();
    await Promise.all(all);
    expect(admitted).toEqual([1, 2, 3, 4]);
    expect({ active: gate.active, waiting: gate.waiting }).toEqual({ active: 2, waiting: 0 });
  });

  it('drops an aborted waiter with its reason and lets the next one in', async () => {
    const gate = new TaskGate(1);
    await gate.acquire();
    const controller = new AbortController();
    const dropped = gate.acquire(controller.signal);
    const next = gate.acquire();
    controller.abort(new Error('gone'));
    await expect(dropped).rejects.toThrow('gone');
    expect(gate.waiting).toBe(1);
    gate.release();
    await next;
    expect(gate.active).toBe(1);
  });

  it('refuses an already-aborted signal without taking a slot', async () => {
    const gate = new TaskGate(1);
    expect(() => gate.acquire(AbortSignal.abort(new Error('late')))).toThrow('late');
    expect(gate.active).toBe(0);
  });

  it('reports idle once nothing runs or waits', async () => {
    const gate = new TaskGate(1);
    await gate.idle();
    await gate.acquire();
    const waiter = gate.acquire();
    let idle = false;
    const idlePromise = gate.idle().then(() => (idle = true));
    gate.release();
    await waiter;
    await tick();
    expect(idle).toBe(false);
    gate.release();
    await idlePromise;
    expect(idle).toBe(true);
  });
});
