import { availableParallelism } from 'node:os';
import type {
  PerformanceIssue,
  PerformanceStatistics,
  Recommendation,
} from '../../shared/contract';
import type { CoreContext } from '../context';

interface Sample {
  at: number;
  durationMs: number;
  inputBytes: number;
  ok: boolean;
}

export interface WorkerMetrics {
  pool_size: number;
  busy_workers: number;
  jobs_in_flight: number;
}

const WINDOW_MS = 15 * 60_000;
const MAX_SAMPLES = 20_000;
const MINUTE_MS = 60_000;

/**
 * The spec's ThumbnailPerformanceService, on measured figures only: each
 * generation's duration, input size and result over a sliding window, plus
 * enqueue counts so it can tell a queue that grows faster than it drains.
 */
export class ThumbnailPerformanceService {
  private samples: Sample[] = [];
  private enqueued: { at: number; count: number }[] = [];
  private workerMetrics: () => WorkerMetrics = () => ({
    pool_size: 0,
    busy_workers: 0,
    jobs_in_flight: 0,
  });

  constructor(
    private readonly ctx: CoreContext,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribe = ctx.events.on('jobs_queued', (event) =>
      this.enqueued.push({ at: this.now(), count: event.count }),
    );
  }

  private readonly unsubscribe: () => void;

  /** Stops following the queue (the core's close). */
  close(): void {
    this.unsubscribe();
  }

  /** The worker tells where its live figures come from. */
  setWorkerMetrics(source: () => WorkerMetrics): void {
    this.workerMetrics = source;
  }

  trackGenerationPerformance(durationMs: number, inputBytes: number, ok: boolean): void {
    this.samples.push({ at: this.now(), durationMs, inputBytes, ok });
    if (this.samples.length > MAX_SAMPLES)
      this.samples.splice(0, this.samples.length - MAX_SAMPLES);
  }

  /** Completed generations per second over the last minute (null before any). */
  throughputPerSecond(windowMs = MINUTE_MS): number | null {
    const recent = this.recent(windowMs).filter((s) => s.ok);
    if (recent.length === 0) return null;
    const span = Math.max(1000, Math.min(windowMs, this.now() - recent[0]!.at));
    return recent.length / (span / 1000);
  }

  getPerformanceStatistics(): PerformanceStatistics {
    const window = this.recent(WINDOW_MS);
    const ok = window.filter((s) => s.ok);
    const durations = ok.map((s) => s.durationMs).sort((a, b) => a - b);
    const queue = this.ctx.ops.jobs.queueCounts(this.now());
    const oldest = this.ctx.ops.jobs.oldestWaitingCreatedAt();
    return {
      window_seconds: WINDOW_MS / 1000,
      generations: window.length,
      success_rate: window.length ? ok.length / window.length : null,
      average_ms: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : null,
      p50_ms: percentile(durations, 0.5),
      p95_ms: percentile(durations, 0.95),
      throughput_per_second: this.throughputPerSecond() ?? 0,
      average_input_mb: ok.length
        ? ok.reduce((a, s) => a + s.inputBytes, 0) / ok.length / 1_048_576
        : null,
      worker: {
        ...this.workerMetrics(),
        queue_depth: queue.pending + queue.retry,
        oldest_pending_age_seconds:
          oldest === null ? null : Math.max(0, (this.now() - oldest) / 1000),
      },
      timeline: this.timeline(window),
    };
  }

  identifyPerformanceIssues(): PerformanceIssue[] {
    const issues: PerformanceIssue[] = [];
    const stats = this.getPerformanceStatistics();
    if (
      stats.p50_ms !== null &&
      stats.p95_ms !== null &&
      stats.generations >= 20 &&
      stats.p95_ms > 3 * stats.p50_ms
    ) {
      issues.push({
        kind: 'slow_outliers',
        severity: 'warning',
        message: `p95 generation time ${Math.round(stats.p95_ms)} ms is over 3× the median ${Math.round(stats.p50_ms)} ms`,
      });
    }
    if (stats.p50_ms !== null && stats.p50_ms > 1000) {
      issues.push({
        kind: 'slow_generation',
        severity: 'warning',
        message: `median generation takes ${Math.round(stats.p50_ms)} ms`,
      });
    }
    const [earlier, later] = [
      this.failureRate(2 * 5 * MINUTE_MS, 5 * MINUTE_MS),
      this.failureRate(5 * MINUTE_MS, 0),
    ];
    if (later !== null && later > 0.1 && (earlier === null || later > 2 * earlier)) {
      issues.push({
        kind: 'rising_failures',
        severity: 'warning',
        message: `${Math.round(later * 100)}% of generations failed in the last 5 minutes`,
      });
    }
    const inRate = this.enqueueRate(5 * MINUTE_MS);
    const outRate = this.throughputPerSecond(5 * MINUTE_MS) ?? 0;
    if (stats.worker.queue_depth > 0 && inRate > outRate * 1.2 && inRate > 0) {
      issues.push({
        kind: 'queue_growing',
        severity: 'warning',
        message: `jobs arrive at ${inRate.toFixed(2)}/s but complete at ${outRate.toFixed(2)}/s; ${stats.worker.queue_depth} waiting`,
      });
    }
    return issues;
  }

  /** Setting changes the measured figures argue for. */
  optimizeGenerationSettings(): Recommendation[] {
    const settings = this.ctx.settings.getAll();
    const issues = new Set(this.identifyPerformanceIssues().map((i) => i.kind));
    const recommendations: Recommendation[] = [];
    const slow = issues.has('queue_growing') || issues.has('slow_generation');
    if (slow && settings.small_generation_mode === 'all') {
      recommendations.push({
        setting: 'small_generation_mode',
        current: 'all',
        suggested: 'latest_only',
        reason:
          'generation cannot keep up; a small only for the newest frame roughly halves the work',
      });
    }
    if (slow && settings.small_quality > 75) {
      recommendations.push({
        setting: 'small_quality',
        current: settings.small_quality,
        suggested: 75,
        reason: 'lower small quality encodes faster and saves disk',
      });
    }
    const metrics = this.workerMetrics();
    const cores = availableParallelism();
    if (
      issues.has('queue_growing') &&
      cores > metrics.pool_size &&
      metrics.busy_workers >= metrics.pool_size
    ) {
      recommendations.push({
        setting: 'thumbnail_pool_size',
        current: settings.thumbnail_pool_size,
        suggested: cores,
        reason: `all ${metrics.pool_size} workers are busy and the machine has ${cores} cores`,
      });
    }
    return recommendations;
  }

  private recent(windowMs: number, endOffsetMs = 0): Sample[] {
    const end = this.now() - endOffsetMs;
    const start = end - windowMs;
    return this.samples.filter((s) => s.at > start && s.at <= end);
  }

  private failureRate(windowMs: number, endOffsetMs: number): number | null {
    const samples = this.recent(windowMs - endOffsetMs, endOffsetMs);
    return samples.length < 10 ? null : samples.filter((s) => !s.ok).length / samples.length;
  }

  private enqueueRate(windowMs: number): number {
    const since = this.now() - windowMs;
    this.enqueued = this.enqueued.filter((e) => e.at > this.now() - WINDOW_MS);
    return (
      this.enqueued.filter((e) => e.at > since).reduce((a, e) => a + e.count, 0) / (windowMs / 1000)
    );
  }

  private timeline(window: Sample[]): PerformanceStatistics['timeline'] {
    const buckets = new Map<number, Sample[]>();
    for (const sample of window) {
      const minute = Math.floor(sample.at / MINUTE_MS) * MINUTE_MS;
      const bucket = buckets.get(minute);
      if (bucket) bucket.push(sample);
      else buckets.set(minute, [sample]);
    }
    return [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([minute, samples]) => ({
        minute: new Date(minute).toISOString(),
        completed: samples.filter((s) => s.ok).length,
        failed: samples.filter((s) => !s.ok).length,
        p50_ms: percentile(
          samples
            .filter((s) => s.ok)
            .map((s) => s.durationMs)
            .sort((a, b) => a - b),
          0.5,
        ),
      }));
  }
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
