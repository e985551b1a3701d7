import { useState } from 'react';
import { Card } from './Card';
import { FailedJobsCard, QueueCard } from './JobCards';
import { useMaintenance, useServices } from '../app/services';
import {
  describeCleanup,
  describeDeleteAll,
  describeRegeneration,
  describeRepair,
  describeVerification,
  n,
  REGENERATION_MODES,
} from '../../../shared/reports';
import type { ActionState, MaintenanceAction } from '../store/maintenance-store';
import { ProgressBar } from '../ui/ProgressBar';

/**
 * The spec's five App Settings actions, each with its result in words, and
 * the job queue as Immich's Jobs page shows it: pause, each priority's ETA,
 * the failed jobs by frame with retry and clear.
 */
export function MaintenancePanel({ focus }: { focus: string | null }) {
  return (
    <section className="maintenance" aria-labelledby="maintenance-title">
      <h2 id="maintenance-title">Maintenance</h2>
      <QueueCard />
      <RegenerateCard highlight={focus === 'regenerate'} />
      <FailedJobsCard />
      <VerifyCard />
      <RepairCard highlight={focus === 'repair'} />
      <CleanupCard />
      <DeleteAllCard />
    </section>
  );
}

/** Progress while running, then the report lines or the error. */
function Outcome<R>({
  state,
  label,
  describe,
}: {
  state: ActionState<R>;
  label: string;
  describe(result: R): string[];
}) {
  if (state.status === 'running') {
    const progress = state.progress;
    return (
      <div className="outcome" role="status">
        <ProgressBar value={progress?.processed ?? 0} max={progress?.total ?? null} label={label} />
        <span>
          {progress
            ? `${n(progress.processed)}${progress.total === null ? '' : ` of ${n(progress.total)}`} processed`
            : 'Working…'}
        </span>
      </div>
    );
  }
  if (state.status === 'error')
    return (
      <p role="alert" className="error-text">
        {state.error}
      </p>
    );
  if (state.status === 'done' && state.result) {
    return (
      <ul className="outcome result" role="status">
        {describe(state.result).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    );
  }
  return null;
}

function useAction<A extends MaintenanceAction>(action: A) {
  return useMaintenance((state) => state.actions[action]);
}

function VerifyCard() {
  const { maintenance } = useServices();
  const state = useAction('verify');
  const flagged =
    state.result?.timelapses.filter((t) => t.missing_thumbnails > 0 || t.missing_smalls > 0) ?? [];
  return (
    <Card id="verify" title="Verify All Thumbnails">
      <p className="muted">
        Checks every thumbnail and small on disk across all cameras and timelapses; missing ones are
        cleared from the database.
      </p>
      <button
        type="button"
        onClick={() => void maintenance.getState().verifyAll()}
        disabled={state.status === 'running'}
      >
        Verify All Thumbnails
      </button>
      <Outcome state={state} label="Verification progress" describe={describeVerification} />
      {flagged.length > 0 && (
        <details>
          <summary>{flagged.length} timelapse(s) with missing files</summary>
          <ul>
            {flagged.map((t) => (
              <li key={t.timelapse_id}>
                Timelapse {t.timelapse_id}: {n(t.missing_thumbnails)} thumbnails,{' '}
                {n(t.missing_smalls)} smalls missing
              </li>
            ))}
          </ul>
        </details>
      )}
    </Card>
  );
}

function RepairCard({ highlight }: { highlight: boolean }) {
  const { maintenance } = useServices();
  const state = useAction('repair');
  return (
    <Card id="repair" title="Repair Orphaned Thumbnails" highlight={highlight}>
      <p className="muted">
        Scans the thumbnail and small folders and matches orphaned files back to their images by
        name.
      </p>
      <button
        type="button"
        onClick={() => void maintenance.getState().repair()}
        disabled={state.status === 'running'}
      >
        Repair Orphaned Thumbnails
      </button>
      <Outcome state={state} label="Repair progress" describe={describeRepair} />
    </Card>
  );
}

/** Immich's Jobs page as the model: two clear actions, "Missing only" first. */
function RegenerateCard({ highlight }: { highlight: boolean }) {
  const { maintenance } = useServices();
  const status = useMaintenance((state) => state.regeneration);
  const error = useMaintenance((state) => state.regenerationError);
  const starting = useMaintenance((state) => state.regenerationStarting);
  const check = useMaintenance((state) => state.regenerationCheck);
  const running = status?.status === 'running';
  const done = status ? status.completed + status.failed : 0;
  return (
    <Card id="regenerate" title="Regenerate Thumbnails" highlight={highlight}>
      <p className="muted">
        Thumbnail jobs for the library, below live captures in priority. Smalls follow the “Small
        images” setting.
      </p>
      {running ? (
        <button
          type="button"
          className="danger"
          onClick={() => void maintenance.getState().cancelRegeneration()}
        >
          Cancel regeneration
        </button>
      ) : (
        <div className="mode-actions">
          {(['missing', 'everything'] as const).map((mode) => (
            <div key={mode} className="mode-action">
              <button
                type="button"
                className={mode === 'missing' ? 'primary' : undefined}
                onClick={() => void maintenance.getState().startRegeneration(mode)}
                disabled={starting !== null}
                aria-describedby={`regenerate-${mode}-help`}
              >
                {starting === mode
                  ? mode === 'missing'
                    ? 'Checking files…'
                    : 'Starting…'
                  : REGENERATION_MODES[mode].label}
              </button>
              <small id={`regenerate-${mode}-help`} className="muted">
                {REGENERATION_MODES[mode].help}
              </small>
            </div>
          ))}
        </div>
      )}
      {starting === 'missing' && (
        <div className="outcome" role="status">
          <ProgressBar
            value={check?.processed ?? 0}
            max={check?.total ?? null}
            label="Checking files on disk"
          />
          <span>
            Checking files on disk
            {check && check.total !== null
              ? `: ${n(check.processed)} of ${n(check.total)} images`
              : '…'}
          </span>
        </div>
      )}
      {status && status.status !== 'idle' && (
        <div className="outcome" role="status" data-regeneration={status.status}>
          <ProgressBar value={done} max={status.total} label="Regeneration progress" />
          <span>{describeRegeneration(status)}</span>
        </div>
      )}
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
    </Card>
  );
}

function CleanupCard() {
  const { maintenance } = useServices();
  const preview = useAction('cleanup_preview');
  const cleanup = useAction('cleanup');
  const report = preview.result;
  const count = report?.orphaned_files_found ?? 0;
  const unlisted = report ? count - report.files.length : 0;
  const exceeds = report?.exceeds_safety_threshold ?? false;
  const busy = preview.status === 'running' || cleanup.status === 'running';
  return (
    <Card id="cleanup" title="Cleanup Orphaned Files">
      <p className="muted">
        Deletes thumbnail and small files no image can claim. A dry run lists them first; nothing
        goes until you confirm.
      </p>
      <button
        type="button"
        onClick={() => void maintenance.getState().previewCleanup()}
        disabled={busy}
      >
        Preview cleanup (dry run)
      </button>
      <Outcome state={preview} label="Cleanup scan progress" describe={describeCleanup} />
      {preview.status === 'done' && report && count > 0 && (
        <>
          <ul className="file-list" aria-label="Files that would be deleted">
            {report.files.map((file) => (
              <li key={file}>
                <code>{file}</code>
              </li>
            ))}
            {unlisted > 0 && <li className="muted">…and {n(unlisted)} more</li>}
          </ul>
          <button
            type="button"
            className="danger"
            onClick={() => void maintenance.getState().confirmCleanup(exceeds)}
            disabled={busy}
          >
            {exceeds
              ? `Delete ${n(count)} files anyway`
              : `Delete ${n(count)} orphaned file${count === 1 ? '' : 's'}`}
          </button>
        </>
      )}
      <Outcome state={cleanup} label="Cleanup progress" describe={describeCleanup} />
      {cleanup.status === 'error' && (
        <button
          type="button"
          className="danger"
          onClick={() => void maintenance.getState().confirmCleanup(true)}
        >
          Delete anyway (override the safety threshold)
        </button>
      )}
    </Card>
  );
}

const CONFIRM_WORD = 'DELETE';

function DeleteAllCard() {
  const { maintenance } = useServices();
  const state = useAction('delete_all');
  const [typed, setTyped] = useState('');
  const confirmed = typed.trim() === CONFIRM_WORD;
  return (
    <Card id="delete-all" title="Delete All Thumbnails">
      <p className="muted">
        Removes every thumbnail and small file and every database reference. Frames are not touched;
        thumbnails can be regenerated.
      </p>
      <label htmlFor="delete-all-confirm">
        Type <strong>{CONFIRM_WORD}</strong> to confirm
      </label>
      <input
        id="delete-all-confirm"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
      <button
        type="button"
        className="danger"
        disabled={!confirmed || state.status === 'running'}
        onClick={() => {
          setTyped('');
          void maintenance.getState().deleteAll();
        }}
      >
        Delete All Thumbnails
      </button>
      <Outcome state={state} label="Delete progress" describe={describeDeleteAll} />
    </Card>
  );
}
