import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TimelapseThumbnailStats } from '../../../shared/contract';
import { useServices, useWall } from '../app/services';
import { useResource } from '../app/use-resource';
import { CHART_COLORS } from './chart-colors';

/** Timelapses charted at once; the largest ones, beyond that the chart is unreadable anyway. */
const MAX_TIMELAPSES = 40;

interface UsageRow {
  label: string;
  thumbnails_mb: number;
  smalls_mb: number;
}

/** Thumbnail and small disk usage per camera and per timelapse. */
export function DiskUsageChart() {
  const { api } = useServices();
  const cameras = useWall((state) => state.cameras);
  const usage = useResource(
    async () => {
      const timelapses = await api.call('timelapses.list', {});
      const stats = await Promise.all(
        timelapses.map((t) => api.call('timelapses.thumbnailStats', { timelapse_id: t.id }).then((s) => ({ timelapse: t, stats: s }))),
      );
      return stats;
    },
    'disk-usage',
    60_000,
  );
  if (!usage.data) return null;
  const cameraName = (id: number) => cameras.find((c) => c.id === id)?.name ?? `Camera ${id}`;
  const perCamera = new Map<number, UsageRow>();
  const perTimelapse: UsageRow[] = [];
  for (const { timelapse, stats } of usage.data) {
    add(perCamera, timelapse.camera_id, cameraName(timelapse.camera_id), stats);
    perTimelapse.push({ label: `${cameraName(timelapse.camera_id)} / ${timelapse.name}`, ...stats.disk_usage });
  }
  const largest = perTimelapse.sort((a, b) => total(b) - total(a)).slice(0, MAX_TIMELAPSES);
  return (
    <section className="card" aria-labelledby="disk-title">
      <h3 id="disk-title">Disk usage</h3>
      <UsageBars title="Per camera" rows={[...perCamera.values()]} />
      <UsageBars title={`Per timelapse${perTimelapse.length > MAX_TIMELAPSES ? ` (largest ${MAX_TIMELAPSES})` : ''}`} rows={largest} />
    </section>
  );
}

function add(map: Map<number, UsageRow>, id: number, label: string, stats: TimelapseThumbnailStats) {
  const row = map.get(id) ?? { label, thumbnails_mb: 0, smalls_mb: 0 };
  row.thumbnails_mb += stats.disk_usage.thumbnails_mb;
  row.smalls_mb += stats.disk_usage.smalls_mb;
  map.set(id, row);
}

const total = (row: UsageRow) => row.thumbnails_mb + row.smalls_mb;

function UsageBars({ title, rows }: { title: string; rows: UsageRow[] }) {
  if (rows.length === 0) return <p className="muted">{title}: nothing stored yet.</p>;
  const height = Math.max(120, rows.length * 28 + 60);
  return (
    <figure className="chart" aria-label={`${title}: thumbnail and small megabytes`}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} horizontal={false} />
          <XAxis type="number" stroke={CHART_COLORS.axis} unit=" MB" />
          <YAxis type="category" dataKey="label" stroke={CHART_COLORS.axis} width={180} />
          <Tooltip contentStyle={{ background: '#151920', border: '1px solid #2a303b' }} formatter={(value) => `${Number(value).toFixed(2)} MB`} />
          <Legend />
          <Bar dataKey="thumbnails_mb" name="thumbnails" stackId="mb" fill={CHART_COLORS.primary} isAnimationActive={false} />
          <Bar dataKey="smalls_mb" name="smalls" stackId="mb" fill={CHART_COLORS.secondary} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
