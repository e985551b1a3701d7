import type { KeyboardEvent, Ref } from 'react';
import { FALLBACK_CHAIN, type CameraDto, type ImageVariant } from '../../../shared/contract';
import { useServices, useWall } from '../app/services';
import { LiveImage } from './LiveImage';
import { formatAge, tileHealth, tileProblem, type TileHealth } from '../store/wall-store';
import { n, refusalsSinceFrame } from '../../../shared/reports';

export interface CameraTileProps {
  camera: CameraDto;
  /** The variant to ask first, from the tile's size. */
  variant: ImageVariant;
  focusable: boolean;
  tileRef?: Ref<HTMLDivElement>;
  onOpen(cameraId: number): void;
  onKeyDown?(event: KeyboardEvent<HTMLDivElement>): void;
  onFocus?(): void;
}

const HEALTH_LABEL: Record<TileHealth, string> = {
  live: 'Live',
  stale: 'Stale',
  disabled: 'Disabled',
  failing: 'Failing',
  offline: 'Offline',
};

/** One camera: its latest frame (never blank), name, age and state. */
export function CameraTile({
  camera,
  variant,
  focusable,
  tileRef,
  onOpen,
  onKeyDown,
  onFocus,
}: CameraTileProps) {
  const { api } = useServices();
  const frame = useWall((state) => state.frames[camera.id]);
  const connection = useWall((state) => state.connection);
  const visible = useWall((state) => state.visible);
  const now = useWall((state) => state.now);
  const health = tileHealth(camera, connection, now);
  const age = formatAge(camera.last_capture_at, now);
  const problem = tileProblem(camera, health);
  // Refusals since the last good frame: a camera sending "no picture" is visible at a glance.
  const refused = camera.rejections_since_last_frame;
  const chain = frame
    ? FALLBACK_CHAIN[variant].map((v) => ({
        variant: v,
        url: api.imageUrl({ kind: 'image', id: frame.image_id }, v),
      }))
    : [];

  return (
    <div
      ref={tileRef}
      className={`tile tile-${health}`}
      role="button"
      tabIndex={focusable ? 0 : -1}
      data-camera-id={camera.id}
      data-health={health}
      aria-label={`${camera.name}: ${HEALTH_LABEL[health].toLowerCase()}, last frame ${age}${refused ? `, ${refusalsSinceFrame(refused)}` : ''}`}
      onClick={() => onOpen(camera.id)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onOpen(camera.id);
        } else onKeyDown?.(event);
      }}
      onFocus={onFocus}
    >
      <LiveImage
        frameKey={frame ? `${frame.image_id}:${variant}` : null}
        chain={chain}
        alt={`Latest frame from ${camera.name}`}
        paused={!visible}
      />
      <div className="tile-caption">
        <span className="tile-name">{camera.name}</span>
        <span className="tile-age">{age}</span>
        {refused > 0 && (
          <span
            className="badge badge-refused"
            title={refusalsSinceFrame(refused) ?? undefined}
            data-refused={refused}
          >
            {n(refused)} refused
          </span>
        )}
        {health !== 'live' && (
          <span className={`badge badge-${health}`}>{HEALTH_LABEL[health]}</span>
        )}
      </div>
      {problem && (
        <div className={`tile-problem tile-problem-${health}`} role="status" title={problem}>
          {problem}
        </div>
      )}
    </div>
  );
}
