import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useSyncExternalStore,
  type KeyboardEvent,
} from 'react';
import { MAX_BATCH_IDS } from '../../../shared/contract';
import { useElementSize } from '../app/use-element-size';
import type { FrameEntry, FrameIndex } from './frame-index';
import { gridRows, moveInGrid, rowOf, type GridRow } from './grid-rows';
import { FlagBadge } from './FlagBadge';
import {
  FLAG_WORDS,
  formatDateTime,
  formatDayLabel,
  formatTime,
  plural,
} from '../../../shared/reports';

const CELL_WIDTH = 208;
const CELL_HEIGHT = 172;
const DAY_HEIGHT = 34;

export interface FrameGridProps {
  index: FrameIndex;
  onOpen(position: number): void;
}

/**
 * Every frame's thumbnail in a virtualized grid, day by day under a heading
 * ("Day 3 · Tue 28 Nov"): only the rows on screen exist in the DOM.
 */
export function FrameGrid({ index, onOpen }: FrameGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { width } = useElementSize(scrollRef);
  const cols = Math.max(1, Math.floor(width / CELL_WIDTH));
  useSyncExternalStore(index.subscribe, () => index.version);
  const total = index.frames.length;
  // The layout changes with the days (a new array per load) and the width, not with every thumbnail.
  const days = index.days;
  const rows = useMemo(() => gridRows(days, cols), [days, cols]);

  // The grid re-renders on every scroll anyway; nothing memoized receives the virtualizer.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]?.kind === 'day' ? DAY_HEIGHT : CELL_HEIGHT),
    overscan: 3,
  });
  const items = virtualizer.getVirtualItems();
  const framesOn = items.map((item) => rows[item.index]).filter((row) => row?.kind === 'frames');
  const first = framesOn[0]?.start ?? 0;
  const last = framesOn.at(-1)?.end ?? 0;

  useEffect(() => {
    if (last <= first) return;
    // Wait until scrolling pauses, so a fast fling does not fetch every row it passes;
    // then fill one batch with the rows around the screen too, so small scrolls need no request.
    const timer = setTimeout(() => {
      const [from, to] = batchWindow(first, last, total);
      void index.loadThumbnails(index.frames.slice(from, to).map((frame) => frame.id));
    }, 60);
    return () => clearTimeout(timer);
  }, [index, first, last, total]);

  // Stable while the grid's shape is, so the memoized cells re-render only when their frame changes.
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLButtonElement>, position: number) => {
      const target = moveInGrid(rows, position, event.key, total);
      if (target === null) return;
      event.preventDefault();
      virtualizer.scrollToIndex(rowOf(rows, target));
      requestAnimationFrame(() =>
        scrollRef.current?.querySelector<HTMLElement>(`[data-position="${target}"]`)?.focus(),
      );
    },
    [rows, total, virtualizer],
  );

  return (
    <div
      ref={scrollRef}
      className="frame-grid"
      role="region"
      aria-label={`${total} frames`}
      tabIndex={-1}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => (
          <GridRowView
            key={item.key}
            row={rows[item.index]!}
            top={item.start}
            index={index}
            onOpen={onOpen}
            onKeyDown={onKeyDown}
          />
        ))}
      </div>
    </div>
  );
}

interface GridRowViewProps {
  row: GridRow;
  top: number;
  index: FrameIndex;
  onOpen(position: number): void;
  onKeyDown(event: KeyboardEvent<HTMLButtonElement>, position: number): void;
}

function GridRowView({ row, top, index, onOpen, onKeyDown }: GridRowViewProps) {
  if (row.kind === 'day') {
    return (
      <h3
        className="frame-day"
        style={{ transform: `translateY(${top}px)`, height: DAY_HEIGHT }}
        data-day={row.day.day}
      >
        {formatDayLabel(row.day.day, row.day.captured_at)}
        <span className="muted"> · {plural(row.day.count, 'frame')}</span>
      </h3>
    );
  }
  const positions = Array.from({ length: row.end - row.start }, (_, i) => row.start + i);
  return (
    <div className="frame-row" style={{ transform: `translateY(${top}px)`, height: CELL_HEIGHT }}>
      {positions.map((position) => {
        const frame = index.frames[position];
        return (
          <FrameCell
            key={position}
            position={position}
            frame={frame}
            source={frame ? index.thumbnail(frame.id) : undefined}
            onOpen={onOpen}
            onKeyDown={onKeyDown}
          />
        );
      })}
    </div>
  );
}

interface FrameCellProps {
  position: number;
  frame: FrameEntry | undefined;
  source: string | undefined;
  onOpen(position: number): void;
  onKeyDown(event: KeyboardEvent<HTMLButtonElement>, position: number): void;
}

const FrameCell = memo(function FrameCell({
  position,
  frame,
  source,
  onOpen,
  onKeyDown,
}: FrameCellProps) {
  return (
    <button
      type="button"
      className="frame-cell"
      data-position={position}
      data-image-id={frame?.id}
      onClick={() => onOpen(position)}
      onKeyDown={(event) => onKeyDown(event, position)}
      aria-label={
        frame
          ? `Frame ${position + 1}, ${formatDateTime(frame.captured_at)}${frame.flag_reason ? `, flagged: ${FLAG_WORDS[frame.flag_reason]}` : ''}`
          : `Frame ${position + 1}`
      }
    >
      <span className="frame-thumb">
        {source && <img src={source} alt="" decoding="async" draggable={false} />}
        {frame?.flag_reason && <FlagBadge reason={frame.flag_reason} />}
      </span>
      <span className="frame-label">{frame ? formatTime(frame.captured_at) : '…'}</span>
    </button>
  );
});

/** The visible range [first, last) widened evenly to one full batch, inside [0, total). */
export function batchWindow(first: number, last: number, total: number): [number, number] {
  const spare = Math.max(0, MAX_BATCH_IDS - (last - first));
  const from = Math.max(0, Math.min(first - Math.floor(spare / 2), total - MAX_BATCH_IDS));
  const to = Math.min(total, Math.max(last, from + MAX_BATCH_IDS));
  return [from, to];
}
