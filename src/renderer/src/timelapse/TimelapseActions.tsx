import { useState } from 'react';
import type {
  GenerateThumbnailsResult,
  TimelapseDto,
  TimelapseVerification,
} from '../../../shared/contract';
import { navigate } from '../app/router';
import { useServices } from '../app/services';
import { errorMessage } from '../api/transport';
import {
  describeGenerate,
  describeVerification,
  hasMissing,
  plural,
} from '../../../shared/reports';
import { Modal } from '../ui/Modal';

type Open = 'generate' | 'verify' | null;

/** The spec's Timelapse Modal Actions: Generate Thumbnails and Verify Thumbnails. */
export function TimelapseActions({
  timelapse,
  onChanged,
}: {
  timelapse: TimelapseDto;
  onChanged(): void;
}) {
  const [open, setOpen] = useState<Open>(null);
  const close = () => {
    setOpen(null);
    onChanged();
  };
  return (
    <div className="actions">
      <button type="button" onClick={() => setOpen('generate')}>
        Generate Thumbnails
      </button>
      <button type="button" onClick={() => setOpen('verify')}>
        Verify Thumbnails
      </button>
      {open === 'generate' && <GenerateModal timelapse={timelapse} onClose={close} />}
      {open === 'verify' && <VerifyModal timelapse={timelapse} onClose={close} />}
    </div>
  );
}

function GenerateModal({ timelapse, onClose }: { timelapse: TimelapseDto; onClose(): void }) {
  const { api } = useServices();
  const [includeSmalls, setIncludeSmalls] = useState(true);
  const [state, setState] = useState<{
    running: boolean;
    result?: GenerateThumbnailsResult;
    error?: string;
  }>({ running: false });
  const start = async () => {
    setState({ running: true });
    try {
      const result = await api.call('timelapses.generateThumbnails', {
        timelapse_id: timelapse.id,
        force_regenerate: true,
        include_smalls: includeSmalls,
      });
      setState({ running: false, result });
    } catch (error) {
      setState({ running: false, error: errorMessage(error) });
    }
  };
  return (
    <Modal title="Generate Thumbnails" onClose={onClose}>
      <p>
        Regenerates every thumbnail of “{timelapse.name}” ({timelapse.image_count} frames),
        overwriting the existing ones.
      </p>
      <label className="check">
        <input
          type="checkbox"
          checked={includeSmalls}
          onChange={(e) => setIncludeSmalls(e.target.checked)}
        />{' '}
        Include smalls (800×600)
      </label>
      {state.result && (
        <p role="status" className="result">
          {describeGenerate(state.result)}
        </p>
      )}
      {state.error && (
        <p role="alert" className="error-text">
          {state.error}
        </p>
      )}
      <footer className="modal-footer">
        <button type="button" onClick={onClose}>
          {state.result ? 'Close' : 'Cancel'}
        </button>
        {!state.result && (
          <button type="button" className="primary" onClick={start} disabled={state.running}>
            {state.running ? 'Queueing…' : 'Generate'}
          </button>
        )}
      </footer>
    </Modal>
  );
}

function VerifyModal({ timelapse, onClose }: { timelapse: TimelapseDto; onClose(): void }) {
  const { api } = useServices();
  const [state, setState] = useState<{
    running: boolean;
    result?: TimelapseVerification;
    error?: string;
  }>({ running: false });
  const [repair, setRepair] = useState<{
    running: boolean;
    result?: GenerateThumbnailsResult;
    error?: string;
  }>({ running: false });
  const verify = async () => {
    setState({ running: true });
    try {
      setState({
        running: false,
        result: await api.call('timelapses.verifyThumbnails', { timelapse_id: timelapse.id }),
      });
    } catch (error) {
      setState({ running: false, error: errorMessage(error) });
    }
  };
  // The prompt's action makes what is missing: a "missing only" run for this timelapse.
  const generateMissing = async () => {
    setRepair({ running: true });
    try {
      const result = await api.call('timelapses.generateThumbnails', {
        timelapse_id: timelapse.id,
        force_regenerate: false,
        include_smalls: true,
      });
      setRepair({ running: false, result });
    } catch (error) {
      setRepair({ running: false, error: errorMessage(error) });
    }
  };
  const missing = state.result !== undefined && hasMissing(state.result);
  return (
    <Modal title="Verify Thumbnails" onClose={onClose}>
      <p>
        Checks that every thumbnail and small of “{timelapse.name}” exists on disk, and corrects the
        database where not.
      </p>
      {state.result && (
        <ul role="status" className="result">
          {describeVerification(state.result).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {missing && (
        <div className="smart-prompt" role="alertdialog" aria-label="Repair suggestion">
          <p>
            Missing thumbnails detected. Generate the {describeMissing(state.result!)} of this
            timelapse now? (Settings → Maintenance does the same for the whole library.)
          </p>
          {repair.result ? (
            <p role="status" className="result" data-generated>
              {describeGenerate(repair.result)}
            </p>
          ) : (
            <>
              <button
                type="button"
                className="primary"
                onClick={() => void generateMissing()}
                disabled={repair.running}
              >
                {repair.running ? 'Queueing…' : 'Generate missing'}
              </button>
              <button type="button" onClick={() => navigate('settings', { focus: 'regenerate' })}>
                Open Settings
              </button>
            </>
          )}
          {repair.error && (
            <p role="alert" className="error-text">
              {repair.error}
            </p>
          )}
        </div>
      )}
      {state.error && (
        <p role="alert" className="error-text">
          {state.error}
        </p>
      )}
      <footer className="modal-footer">
        {!state.result && (
          <button type="button" className="primary" onClick={verify} disabled={state.running}>
            {state.running ? 'Verifying…' : 'Verify'}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {missing && !repair.result ? 'Not now' : 'Close'}
        </button>
      </footer>
    </Modal>
  );
}

/** "3 missing thumbnails and 5 missing smalls". */
function describeMissing(report: TimelapseVerification): string {
  const parts = [
    report.missing_thumbnails > 0 ? plural(report.missing_thumbnails, 'missing thumbnail') : null,
    report.missing_smalls > 0 ? plural(report.missing_smalls, 'missing small') : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' and ') : 'missing files';
}
