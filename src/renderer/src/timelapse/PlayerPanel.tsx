import {
  useCallback,
  useEffect,
  useMemo,
  useSyncExternalStore,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { FALLBACK_CHAIN, MAX_FPS, MIN_FPS } from '../../../shared/contract';
import { formatDayLabel, formatTime, n } from '../../../shared/reports';
import { useServices } from '../app/services';
import type { FrameIndex } from './frame-index';
import { Player, SPEEDS } from './player';
import { Scrubber } from './Scrubber';

/**
 * The timelapse played from its smalls: play/pause (Space), frame steps (← →),
 * first and last (Home End), a day back or on (Page Up, Page Down), the rate
 * and speed, looping, skipping flagged frames, and the scrubber.
 */
export function PlayerPanel({ index }: { index: FrameIndex }) {
  const { api } = useServices();
  const player = useMemo(
    () =>
      new Player(index, (id) =>
        FALLBACK_CHAIN.small.map((variant) => api.imageUrl({ kind: 'image', id }, variant)),
      ),
    [index, api],
  );
  useEffect(() => () => player.dispose(), [player]);
  const state = useSyncExternalStore(player.subscribe, () => player.snapshot);
  // Re-rendered when the frames change (a new days array), not for every thumbnail the grid loads.
  useSyncExternalStore(index.subscribe, () => index.days);
  const canvasRef = useCallback(
    (canvas: HTMLCanvasElement | null) => player.attach(canvas),
    [player],
  );

  const total = index.frames.length;
  const frame = index.frames[state.position];
  const day = index.dayAt(state.position);
  const hasFlags = index.flaggedCount > 0;

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const target = event.target as HTMLElement;
    if (target.closest('input, select, textarea')) return;
    const dayJump = (direction: 1 | -1) => {
      const days = index.days;
      const current = days.indexOf(day!);
      const next = days[Math.max(0, Math.min(days.length - 1, current + direction))];
      if (next) player.seek(next.position);
    };
    const actions: Record<string, () => void> = {
      ' ': () => player.toggle(),
      ArrowLeft: () => player.step(-1),
      ArrowRight: () => player.step(1),
      Home: () => player.jump('first'),
      End: () => player.jump('last'),
      PageUp: () => dayJump(-1),
      PageDown: () => dayJump(1),
    };
    const action = actions[event.key];
    if (!action) return;
    // Space on a focused button must not click it as well.
    event.preventDefault();
    action();
  };

  if (!index.loaded) return <section className="player player-empty">Loading frames…</section>;
  if (total === 0) return <section className="player player-empty">No frames yet.</section>;
  return (
    <section
      className="player"
      aria-label="Player"
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onKeyUp={(event) => event.key === ' ' && event.preventDefault()}
    >
      <div className="player-stage" onClick={() => player.toggle()}>
        <canvas
          ref={canvasRef}
          className="player-canvas"
          role="img"
          aria-label={frame ? `Frame ${state.position + 1} of ${total}` : 'Frame'}
        />
        {/* Also when paused: a seek or step whose frame is still on its way (or the server is away) says so. */}
        {(state.waiting || state.shown !== state.position) && (
          <span className="player-waiting">Loading frames…</span>
        )}
      </div>
      <Scrubber index={index} position={state.position} onSeek={(p) => player.seek(p)} />
      <div className="player-controls">
        <div className="player-buttons">
          <IconButton
            label="First frame (Home)"
            onClick={() => player.jump('first')}
            icon="first"
          />
          <IconButton label="Previous frame (←)" onClick={() => player.step(-1)} icon="back" />
          <IconButton
            label={state.playing ? 'Pause (Space)' : 'Play (Space)'}
            onClick={() => player.toggle()}
            icon={state.playing ? 'pause' : 'play'}
            primary
          />
          <IconButton label="Next frame (→)" onClick={() => player.step(1)} icon="forward" />
          <IconButton label="Last frame (End)" onClick={() => player.jump('last')} icon="last" />
        </div>
        <div className="player-where" aria-live="off">
          <span className="player-frame">
            Frame {n(state.position + 1)} / {n(total)}
          </span>
          {frame && day && (
            <span className="muted">
              {formatDayLabel(day.day, day.captured_at)} {formatTime(frame.captured_at)}
            </span>
          )}
        </div>
        <div className="player-settings">
          <label>
            <input
              type="number"
              min={MIN_FPS}
              max={MAX_FPS}
              value={state.fps}
              onChange={(event) => player.set({ fps: Number(event.target.value) })}
              aria-label="Frames per second"
            />{' '}
            fps
          </label>
          <label>
            Speed{' '}
            <select
              value={state.speed}
              onChange={(event) => player.set({ speed: Number(event.target.value) })}
            >
              {SPEEDS.map((speed) => (
                <option key={speed} value={speed}>
                  {speed}×
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={state.loop}
              onChange={(event) => player.set({ loop: event.target.checked })}
            />{' '}
            Loop
          </label>
          {hasFlags && (
            <label className="check">
              <input
                type="checkbox"
                checked={state.skipFlagged}
                onChange={(event) => player.set({ skipFlagged: event.target.checked })}
              />{' '}
              Skip flagged
            </label>
          )}
        </div>
      </div>
    </section>
  );
}

/** ⏮ ◀| ▶ ⏸ |▶ ⏭ as paths: no font needed. */
const ICONS: Record<string, ReactNode> = {
  first: <path d="M5 5h2v14H5zM19 5v14L8 12z" />,
  back: <path d="M16 5h2v14h-2zM14 5v14L4 12z" />,
  play: <path d="M7 4v16l13-8z" />,
  pause: <path d="M6 4h4v16H6zM14 4h4v16h-4z" />,
  forward: <path d="M6 5h2v14H6zM10 5v14l10-7z" />,
  last: <path d="M17 5h2v14h-2zM5 5v14l11-7z" />,
};

function IconButton(props: { label: string; icon: string; onClick(): void; primary?: boolean }) {
  return (
    <button
      type="button"
      className={`icon-button player-button${props.primary ? ' primary' : ''}`}
      onClick={props.onClick}
      aria-label={props.label}
      title={props.label}
    >
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="currentColor">
        {ICONS[props.icon]}
      </svg>
    </button>
  );
}
