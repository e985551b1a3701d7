import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useSyncExternalStore, type KeyboardEvent } from 'react';
import { MAX_BATCH_IDS } from '../../../shared/contract';
import { useElementSize } from '../app/use-element-size';
import type { FrameEntry, FrameIndex } from './frame-index';
import { FLAG_WORDS, formatDateTime, formatTime } from '../../../shared/reports';
import { FlagBadge } from './FlagBadge';

const CELL_WIDTH = 208;
const CELL_HEIGHT = 172;

export interface FrameGridProps {
  index: FrameIndex;
  /** Frames in the timelapse (its image_count): the scroll height is right from the start. */
  total: number;
  onOpen(position: number): void;
}

/** Every frame's thumbnail in a virtualized grid: only the rows on screen exist in the DOM. */
export function FrameGrid({ index, total, onOpen }: FrameGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { width } = useElementSize(scrollRef);
  const cols = Math.max(1, Math.floor(width / CELL_WIDTH));
  const rows = Math.ceil(total / cols);
  useSyncExternalStore(index.subscribe, () => index.version);

  // The grid re-renders on every scroll anyway; nothing memoized receives the virtualizer.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => CELL_HEIGHT,
    overscan: 3,
  });
  const items = virtualizer.getVirtualItems();
  const first = (items[0]?.index ?? 0) * cols;
  const last = Math.min(total, ((items[items.length - 1]?.index ?? -1) + 1) * cols);

  useEffect(() => {
    if (last <= first) return;
    // Wait until scrolling pauses, so a fast fling does not fetch every row it passes;
    // then fill one batch with the rows around the screen too, so small scrolls need no request.
    const timer = setTimeout(() => {
      if (index.done && index.frames.length < total) index.expectMore();
      const [from, to] = batchWindow(first, last, total);
      void index.ensureIndex(to - 1).then(() => index.loadThumbnails(index.frames.slice(from, to).map((frame) => frame.id)));
    }, 60);
    return () => clearTimeout(timer);
  }, [index, first, last, total]);

  // Stable while the grid's shape is, so the memoized cells re-render only when their frame changes.
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLButtonElement>, position: number) => {
      const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -cols, ArrowDown: cols }[event.key];
      if (step === undefined) return;
      event.preventDefault();
      const target = Math.min(total - 1, Math.max(0, position + step));
      virtualizer.scrollToIndex(Math.floor(target / cols));
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-position="${target}"]`)?.focus());
    },
    [cols, total, virtualizer],
  );

  return (
    <div ref={scrollRef} className="frame-grid" role="region" aria-label={`${total} frames`} tabIndex={-1}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((row) => (
          <div key={row.key} className="frame-row" style={{ transform: `translateY(${row.start}px)`, height: CELL_HEIGHT }}>
            {Array.from({ length: cols }, (_, col) => row.index * cols + col)
              .filter((position) => position < total)
              .map((position) => {
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
        ))}
      </div>
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

const FrameCell = memo(function FrameCell({ position, frame, source, onOpen, onKeyDown }: FrameCellProps) {
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
