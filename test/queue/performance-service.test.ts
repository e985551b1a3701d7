import { describe, expect, it } from 'vitest';
import { ThumbnailPerformanceService } from '../../src/main/queue/thumbnail-performance-service';
import { useTestLibrary } from '../helpers/temp-library';

describe('ThumbnailPerformanceService', () => {
  const lib = useTestLibrary();

  function service() {
    const clock = { t: 1_700_000_000_000 };
    const perf = new ThumbnailPerformanceService(lib.core, () => clock.t);
    perf.setWorkerMetrics(() => ({ pool_size: 2, busy_workers: 2, jobs_in_flight: 2 }));
    return { perf, clock };
  }

  it('computes average, p50, p95, success rate and throughput from what it tracked', () => {
    const { perf, clock } = service();
    expect(perf.getPerformanceStatistics()).toMatchObject({ generations: 0, p50_ms: null, success_rate: null });
    for (let i = 1; i <= 100; i++) {
      clock.t += 100; // 10 per second
      perf.trackGenerationPerformance(i, 2 * 1_048_576, i % 10 !== 0);
    }
    const stats = perf.getPerformanceStatistics();
    expect(stats.generations).toBe(100);
    expect(stats.success_rate).toBeCloseTo(0.9);
    expect(stats.p50_ms).toBe(51); // 90 successes: 1..99 without multiples of ten
    expect(stats.p95_ms).toBe(95);
    expect(stats.average_ms).toBeCloseTo(4500 / 90);
    expect(stats.average_input_mb).toBeCloseTo(2);
    expect(stats.throughput_per_second).toBeCloseTo(9, 0);
    expect(stats.worker).toMatchObject({ pool_size: 2, busy_workers: 2, queue_depth: 0 });
    expect(stats.timeline.reduce((a, p) => a + p.completed + p.failed, 0)).toBe(100);
  });

  it('names slow outliers, rising failures and a queue that outgrows the workers, and recommends settings', () => {
    const { perf, clock } = service();
    for (let i = 0; i < 40; i++) {
      clock.t += 1000;
      perf.trackGenerationPerformance(i < 36 ? 1200 : 9000, 1_000_000, true);
    }
    for (let i = 0; i < 20; i++) {
      clock.t += 1000;
      perf.trackGenerationPerformance(1200, 1_000_000, i % 2 === 0);
    }
    // Jobs arrive far faster than they complete, and some wait.
    lib.core.events.emit({ type: 'jobs_queued', count: 5000, priority: 'medium' });
    lib.core.ops.cameras.create({ name: 'c', source_type: 'demo' });
    const tl = lib.core.ops.timelapses.create(1, 't', 0);
    const image = lib.core.ops.images.insert({
      timelapse_id: tl.id, camera_id: 1, file_path: 'f', captured_at: 0, day_number: 1, clock: '000000', seq: 0, file_size: 1,
    });
    lib.core.ops.jobs.createJob({ image_id: image.id, priority: 'medium' });
    const kinds = perf.identifyPerformanceIssues().map((i) => i.kind);
    expect(kinds).toEqual(expect.arrayContaining(['slow_outliers', 'rising_failures', 'queue_growing', 'slow_generation']));
    const suggestions = perf.optimizeGenerationSettings().map((r) => [r.setting, r.suggested]);
    expect(suggestions).toEqual(expect.arrayContaining([['small_generation_mode', 'latest_only'], ['small_quality', 75]]));
  });

  it('reports no issue and no recommendation for a healthy, steady queue', () => {
    const { perf, clock } = service();
    for (let i = 0; i < 50; i++) {
      clock.t += 500;
      perf.trackGenerationPerformance(40 + (i % 5), 500_000, true);
    }
    expect(perf.identifyPerformanceIssues()).toEqual([]);
    expect(perf.optimizeGenerationSettings()).toEqual([]);
  });
});
