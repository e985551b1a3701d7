import { useWall } from './services';

/** Says so when live updates stopped; silent while they flow. */
export function ConnectionBadge() {
  const connection = useWall((state) => state.connection);
  if (connection === 'open') return null;
  return (
    <div
      className={`connection-badge connection-${connection}`}
      role="status"
      aria-live="polite"
      data-connection={connection}
    >
      {connection === 'down'
        ? 'Disconnected: reconnecting… tiles may be out of date'
        : 'Connecting…'}
    </div>
  );
}
