import { describe, expect, it } from 'vitest';
import { frameBalancer } from '../../src/main/imaging/frame-balancer';

type Balancer = ReturnType<typeof frameBalancer>;
type PoolWorker = Parameters<Balancer>[1][number];

/** The fields piscina's balancer sees; a worker running one abortable task reports Infinity. */
function worker(id: number, tasks: number, abortable = true): PoolWorker {
  const single = abortable && tasks === 1;
  return {
    id,
    currentUsage: single ? Infinity : tasks,
    isRunningAbortableTask: single,
  } as unknown as PoolWorker;
}

const task = {} as Parameters<Balancer>[0];
const pick = (balancer: Balancer, workers: PoolWorker[]) => balancer(task, workers)?.id ?? null;

describe('frameBalancer', () => {
  const balancer = frameBalancer(2, 2);

  it('gives a frame to an idle worker first', () => {
    expect(pick(balancer, [worker(1, 1), worker(2, 0)])).toBe(2);
  });

  it('asks for another worker while the pool is short of them', () => {
    expect(pick(balancer, [worker(1, 1)])).toBeNull();
  });

  it('puts a second frame beside one that carries an abort signal', () => {
    expect(pick(balancer, [worker(1, 2, false), worker(2, 1)])).toBe(2);
  });

  it('picks the least busy worker with room, and none when all are full', () => {
    expect(pick(balancer, [worker(1, 1, false), worker(2, 1)])).toBe(1);
    expect(pick(balancer, [worker(1, 2, false), worker(2, 2, false)])).toBeNull();
  });
});
