import { useServices } from '../app/services';
import { useResource } from '../app/use-resource';
import {
  formatBytes,
  formatDateTime,
  REJECTION_REASON_WORDS,
  refusalsSinceFrame,
} from '../../../shared/reports';

/** Refusals shown on the camera page; the API has the rest of the log (500 per camera). */
const SHOWN = 50;

/**
 * Every refusal is visible: the camera's latest refused frames, newest first,
 * with what was refused (file name or URL), why and how big it was. Reloads
 * when the camera's count moves (a frame_rejected event patched it).
 */
export function CameraRejections({
  cameraId,
  total,
  sinceFrame,
}: {
  cameraId: number;
  total: number;
  sinceFrame: number;
}) {
  const { api } = useServices();
  const log = useResource(
    () => api.call('cameras.rejections', { camera_id: cameraId, limit: SHOWN }),
    `${cameraId}:${total}`,
  );
  const rejections = log.data?.rejections ?? [];
  return (
    <section className="camera-rejections" aria-label="Refused frames">
      <h3>Refused frames</h3>
      <p className="muted">
        {total === 0
          ? 'None: every frame from this camera was kept.'
          : `${total} in all. ${refusalsSinceFrame(sinceFrame) ?? 'None since the last good frame.'}`}
      </p>
      {log.error && <p className="error-text">{log.error}</p>}
      {rejections.length > 0 && (
        <ol className="rejection-list">
          {rejections.map((r) => (
            <li key={r.id} data-reason={r.reason}>
              <div className="rejection-head">
                <span className="rejection-reason">{REJECTION_REASON_WORDS[r.reason]}</span>
                <time dateTime={r.rejected_at}>{formatDateTime(r.rejected_at)}</time>
              </div>
              <div className="rejection-source" title={r.source}>
                {r.source}
                {r.byte_size !== null && (
                  <span className="muted"> · {formatBytes(r.byte_size)}</span>
                )}
              </div>
              <div className="muted rejection-message">{r.message}</div>
            </li>
          ))}
        </ol>
      )}
      {log.data && log.data.next_before_id !== null && (
        <p className="muted">
          The {SHOWN} newest are shown; <code>timelapser rejections --camera {cameraId}</code> lists
          up to 500.
        </p>
      )}
    </section>
  );
}
