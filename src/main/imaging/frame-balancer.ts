import type { Piscina } from 'piscina';

type LoadBalancer = NonNullable<
  NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer']
>;
type PoolWorker = Parameters<LoadBalancer>[1][number];

/**
 * Which worker takes the next frame: an idle one; else, while the pool is
 * short of workers, none (piscina starts another); else the least busy one
 * with room. piscina's own balancer never puts two tasks carrying an abort
 * signal on one worker (it reports such a worker as infinitely busy), and
 * every engine task carries its timeout's signal. Sharing costs little: only
 * a timeout or a crash ends a worker, and the frame beside it then fails as
 * transient and is retried.
 */
export function frameBalancer(poolSize: number, framesPerWorker: number): LoadBalancer {
  return (_task, workers) => {
    const idle = workers.find((worker) => framesHeld(worker) === 0);
    if (idle || workers.length < poolSize) return idle ?? null;
    let chosen: PoolWorker | null = null;
    for (const worker of workers) {
      if (framesHeld(worker) < (chosen ? framesHeld(chosen) : framesPerWorker)) chosen = worker;
    }
    return chosen;
  };
}

function framesHeld(worker: PoolWorker): number {
  return worker.isRunningAbortableTask ? 1 : worker.currentUsage;
}
