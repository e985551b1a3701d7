import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type {
  PerformanceIssue,
  PerformanceStatistics,
  Recommendation,
} from '../../../shared/contract';
import { n, formatHourMinute } from '../../../shared/reports';
import { CHART_COLORS } from './chart-colors';
import { Stat } from './Stat';

const ms = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ms`);

export interface PerformanceSectionProps {
  statistics: PerformanceStatistics;
  issues: PerformanceIssue[];
  recommendations: Recommendation[];
}

export function PerformanceSection({
  statistics,
  issues,
  recommendations,
}: PerformanceSectionProps) {
  const timeline = statistics.timeline.map((point) => ({
    ...point,
    label: formatHourMinute(point.minute),
  }));
  return (
    <section className="card" aria-labelledby="performance-title">
      <h3 id="performance-title">Generation performance</h3>
      <dl className="stat-grid">
        <Stat
          label="Throughput"
          value={`${statistics.throughput_per_second.toFixed(2)} images/s`}
        />
        <Stat
          label="Latency p50 / p95"
          value={`${ms(statistics.p50_ms)} / ${ms(statistics.p95_ms)}`}
        />
        <Stat
          label={`Generations (${Math.round(statistics.window_seconds / 60)} min)`}
          value={n(statistics.generations)}
        />
        <Stat
          label="Workers"
          value={`${statistics.worker.busy_workers}/${statistics.worker.pool_size} busy, ${n(statistics.worker.queue_depth)} queued`}
        />
      </dl>
      {statistics.generations === 0 ? (
        <p className="empty-state" data-empty="performance">
          No thumbnails were generated in the last {Math.round(statistics.window_seconds / 60)}{' '}
          minutes.
        </p>
      ) : (
        <figure
          className="chart"
          aria-label="Completed and failed generations per minute, with median latency"
        >
          <ResponsiveContainer width="100%" height={240}>
            <ComposedChart data={timeline} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
              <XAxis
                dataKey="label"
                stroke={CHART_COLORS.axis}
                minTickGap={32}
                interval="preserveStartEnd"
              />
              <YAxis yAxisId="count" stroke={CHART_COLORS.axis} allowDecimals={false} width={48} />
              <YAxis
                yAxisId="ms"
                orientation="right"
                stroke={CHART_COLORS.axis}
                unit=" ms"
                width={64}
              />
              <Tooltip contentStyle={{ background: '#151920', border: '1px solid #2a303b' }} />
              <Legend />
              <Bar
                yAxisId="count"
                dataKey="completed"
                name="completed / min"
                stackId="jobs"
                fill={CHART_COLORS.primary}
                isAnimationActive={false}
              />
              <Bar
                yAxisId="count"
                dataKey="failed"
                name="failed / min"
                stackId="jobs"
                fill={CHART_COLORS.danger}
                isAnimationActive={false}
              />
              <Line
                yAxisId="ms"
                dataKey="p50_ms"
                name="median latency"
                stroke={CHART_COLORS.secondary}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            </ComposedChart>
          </ResponsiveContainer>
          <figcaption className="muted">
            Last {Math.round(statistics.window_seconds / 60)} minutes
          </figcaption>
        </figure>
      )}
      <h4>Issues</h4>
      {issues.length === 0 ? (
        <p className="muted">No performance issues detected.</p>
      ) : (
        <ul className="plain-list">
          {issues.map((issue) => (
            <li key={issue.kind} className={`issue issue-${issue.severity}`}>
              <strong>{issue.severity === 'warning' ? 'Warning' : 'Note'}:</strong> {issue.message}
            </li>
          ))}
        </ul>
      )}
      <h4>Recommendations</h4>
      {recommendations.length === 0 ? (
        <p className="muted">The current settings suit the load.</p>
      ) : (
        <ul className="plain-list">
          {recommendations.map((recommendation) => (
            <li key={recommendation.setting}>
              Set <code>{recommendation.setting}</code> from {String(recommendation.current)} to{' '}
              {String(recommendation.suggested)}: {recommendation.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
