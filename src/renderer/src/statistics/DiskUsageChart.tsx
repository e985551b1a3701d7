import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type {
  StorageBreakdown,
  StorageKind,
  ThumbnailStatistics,
  TimelapseStorage,
} from '../../../shared/contract';
import { useRef } from 'react';
import { describeScan, formatBytes } from '../../../shared/reports';
import { useElementSize } from '../app/use-element-size';
import { ProgressBar } from '../ui/ProgressBar';
import { CHART_COLORS } from './chart-colors';
import { Stat } from './Stat';

/** Timelapses charted at once; the largest ones, beyond that the chart is unreadable anyway. */
const MAX_TIMELAPSES = 40;
/** The label column: at most this wide, and never more than a third of the chart. */
const LABEL_WIDTH = 180;
/** Roughly one character of the 12 px axis font. */
const CHAR_PX = 7;

const KINDS: { kind: StorageKind; label: string; color: string }[] = [
  { kind: 'frames', label: 'frames', color: CHART_COLORS.primary },
  { kind: 'thumbnails', label: 'thumbnails', color: CHART_COLORS.secondary },
  { kind: 'smalls', label: 'smalls', color: CHART_COLORS.tertiary },
  { kind: 'videos', label: 'videos', color: CHART_COLORS.quaternary },
];

type UsageRow = { label: string } & Record<`${StorageKind}_bytes`, number>;

const bytesOf = (row: UsageRow) => KINDS.reduce((sum, { kind }) => sum + row[`${kind}_bytes`], 0);

/**
 * Disk use measured from the file system by the last scan: frames,
 * thumbnails, smalls and videos, in total and per camera and timelapse, with
 * the free space of the data root's disk read now.
 */
export function DiskUsageChart({
  stats,
  breakdown,
}: {
  stats: ThumbnailStatistics;
  breakdown: StorageBreakdown | null;
}) {
  const { storage } = stats;
  const measured = storage.scanned_at !== null;
  const used =
    storage.disk_total_bytes !== null && storage.disk_free_bytes !== null
      ? storage.disk_total_bytes - storage.disk_free_bytes
      : null;
  const perCamera = new Map<number, UsageRow>();
  const perTimelapse: UsageRow[] = [];
  for (const usage of breakdown?.timelapses ?? []) {
    const camera = usage.camera_name ?? `Camera ${usage.camera_id} (deleted)`;
    addTo(perCamera, usage.camera_id, camera, usage);
    perTimelapse.push({
      ...rowOf(usage),
      label: `${camera} / ${usage.timelapse_name ?? `timelapse ${usage.timelapse_id} (deleted)`}`,
    });
  }
  const largest = perTimelapse
    .filter((row) => bytesOf(row) > 0)
    .sort((a, b) => bytesOf(b) - bytesOf(a))
    .slice(0, MAX_TIMELAPSES);
  return (
    <section className="card" aria-labelledby="disk-title">
      <h3 id="disk-title">Disk usage</h3>
      <dl className="stat-grid">
        {KINDS.map(({ kind, label }) => (
          <Stat
            key={kind}
            label={label[0]!.toUpperCase() + label.slice(1)}
            value={measured ? formatBytes(storage[`${kind}_bytes`] ?? 0) : '—'}
          />
        ))}
        <Stat
          label="Free on the data root's disk"
          value={
            storage.disk_free_bytes === null || storage.disk_total_bytes === null
              ? '—'
              : `${formatBytes(storage.disk_free_bytes)} of ${formatBytes(storage.disk_total_bytes)}`
          }
        >
          {used !== null && (
            <ProgressBar value={used} max={storage.disk_total_bytes} label="Disk space used" />
          )}
        </Stat>
      </dl>
      <p className="muted">Measured on disk: {describeScan(stats.orphan_scan)}</p>
      {measured && largest.length === 0 ? (
        <p className="empty-state" data-empty="disk">
          Nothing stored yet.
        </p>
      ) : (
        measured && (
          <>
            <UsageBars
              title="Per camera"
              rows={[...perCamera.values()]
                .filter((row) => bytesOf(row) > 0)
                .sort((a, b) => bytesOf(b) - bytesOf(a))}
            />
            <UsageBars
              title={`Per timelapse${perTimelapse.length > MAX_TIMELAPSES ? ` (largest ${MAX_TIMELAPSES})` : ''}`}
              rows={largest}
            />
          </>
        )
      )}
    </section>
  );
}

function rowOf(usage: TimelapseStorage): Omit<UsageRow, 'label'> {
  return {
    frames_bytes: usage.frames_bytes,
    thumbnails_bytes: usage.thumbnails_bytes,
    smalls_bytes: usage.smalls_bytes,
    videos_bytes: usage.videos_bytes,
  };
}

function addTo(map: Map<number, UsageRow>, id: number, label: string, usage: TimelapseStorage) {
  const row = map.get(id) ?? {
    label,
    frames_bytes: 0,
    thumbnails_bytes: 0,
    smalls_bytes: 0,
    videos_bytes: 0,
  };
  for (const { kind } of KINDS) row[`${kind}_bytes`] += usage[`${kind}_bytes`];
  map.set(id, row);
}

/** One line per bar, cut with an ellipsis to the column (the tooltip has the whole name): labels never wrap into each other. */
function CategoryTick({
  x,
  y,
  payload,
  width,
}: {
  x?: number;
  y?: number;
  payload?: { value: string };
  width: number;
}) {
  const label = payload?.value ?? '';
  const chars = Math.max(4, Math.floor((width - 8) / CHAR_PX));
  const shown = label.length > chars ? `${label.slice(0, chars - 1)}…` : label;
  return (
    <text x={x} y={y} dy={4} textAnchor="end" fill={CHART_COLORS.axis} fontSize={12}>
      <title>{label}</title>
      {shown}
    </text>
  );
}

const legendOrder = (item: { value?: unknown }) => KINDS.findIndex((k) => k.label === item.value);

function UsageBars({ title, rows }: { title: string; rows: UsageRow[] }) {
  const figure = useRef<HTMLElement>(null);
  const { width } = useElementSize(figure);
  if (rows.length === 0) return null;
  const labelWidth = Math.min(LABEL_WIDTH, Math.max(80, Math.floor(width / 3)));
  const height = Math.max(120, rows.length * 30 + 70);
  return (
    <figure
      ref={figure}
      className="chart"
      aria-label={`${title}: bytes of frames, thumbnails, smalls and videos`}
    >
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} horizontal={false} />
          <XAxis
            type="number"
            stroke={CHART_COLORS.axis}
            tickFormatter={(value: number) => formatBytes(value)}
            minTickGap={28}
            tickCount={5}
            fontSize={12}
          />
          <YAxis
            type="category"
            dataKey="label"
            stroke={CHART_COLORS.axis}
            width={labelWidth}
            interval={0}
            tick={<CategoryTick width={labelWidth} />}
          />
          <Tooltip
            contentStyle={{ background: '#151920', border: '1px solid #2a303b' }}
            formatter={(value) => formatBytes(Number(value))}
          />
          <Legend itemSorter={legendOrder} />
          {KINDS.map(({ kind, label, color }) => (
            <Bar
              key={kind}
              dataKey={`${kind}_bytes`}
              name={label}
              stackId="bytes"
              fill={color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
