import { useRef, useState, type PointerEvent } from 'react';
import { formatDateTime, formatDayLabel } from '../../../shared/reports';
import { useServices } from '../app/services';
import { useElementSize } from '../app/use-element-size';
import type { DayStart, FrameIndex } from './frame-index';

/** Day labels need this much room from the one before; closer days get a tick only. */
const LABEL_SPACING_PX = 150;
const PREVIEW_WIDTH = 160;

export interface ScrubberProps {
  index: FrameIndex;
  /** Where the playhead is. */
  position: number;
  onSeek(position: number): void;
}

/**
 * The whole timelapse as one bar: a tick where each day starts (labelled
 * "Day 3 · Tue 28 Nov" where there is room), the playhead, a preview of the
 * frame under the pointer, and dragging that seeks as it goes.
 */
export function Scrubber({ index, position, onSeek }: ScrubberProps) {
  const { api } = useServices();
  const ref = useRef<HTMLDivElement>(null);
  const { width } = useElementSize(ref);
  const [hover, setHover] = useState<{ x: number; position: number } | null>(null);
  const dragging = useRef(false);
  const total = index.frames.length;
  if (total === 0) return null;

  const at = (clientX: number) => {
    const rect = ref.current!.getBoundingClientRect();
    const x = Math.min(rect.width, Math.max(0, clientX - rect.left));
    return { x, position: Math.min(total - 1, Math.floor((x / Math.max(1, rect.width)) * total)) };
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    dragging.current = true;
    onSeek(at(event.clientX).position);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const point = at(event.clientX);
    setHover(point);
    if (dragging.current) onSeek(point.position);
  };
  const endDrag = () => {
    dragging.current = false;
  };

  const left = (p: number) => `${((p + 0.5) / total) * 100}%`;
  const frame = index.frames[position];
  const hovered = hover && index.frames[hover.position];
  return (
    <div
      ref={ref}
      className="scrubber"
      role="slider"
      tabIndex={0}
      aria-label="Position in the timelapse"
      aria-valuemin={1}
      aria-valuemax={total}
      aria-valuenow={position + 1}
      aria-valuetext={
        frame
          ? `Frame ${position + 1} of ${total}, ${formatDateTime(frame.captured_at)}`
          : undefined
      }
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onPointerLeave={() => !dragging.current && setHover(null)}
    >
      <div className="scrubber-track">
        <div className="scrubber-played" style={{ width: left(position) }} />
      </div>
      {labelledDays(index.days, total, width).map(({ day, labelled }) => (
        <div
          key={day.day}
          className="scrubber-day"
          style={{ left: `${(day.position / total) * 100}%` }}
          data-day={day.day}
          title={formatDayLabel(day.day, day.captured_at)}
        >
          {labelled && (
            <span className="scrubber-day-label">{formatDayLabel(day.day, day.captured_at)}</span>
          )}
        </div>
      ))}
      <div className="scrubber-head" style={{ left: left(position) }} />
      {hover && hovered && (
        <div
          className="scrubber-preview"
          style={{
            left: Math.min(Math.max(0, hover.x - PREVIEW_WIDTH / 2), width - PREVIEW_WIDTH),
          }}
          aria-hidden="true"
        >
          <img
            src={
              index.thumbnail(hovered.id) ??
              api.imageUrl({ kind: 'image', id: hovered.id }, 'thumbnail')
            }
            alt=""
            draggable={false}
          />
          <span>
            Frame {hover.position + 1} · {formatDateTime(hovered.captured_at)}
          </span>
        </div>
      )}
    </div>
  );
}

/** Every day's tick, and which of them have room for a label. */
function labelledDays(days: readonly DayStart[], total: number, width: number) {
  let lastLabel = -Infinity;
  return days.map((day) => {
    const x = (day.position / total) * width;
    const labelled = x - lastLabel >= LABEL_SPACING_PX && width - x >= LABEL_SPACING_PX * 0.6;
    if (labelled) lastLabel = x;
    return { day, labelled };
  });
}
