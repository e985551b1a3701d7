import { useState } from 'react';
import type { GenerateThumbnailsResult, TimelapseDto, TimelapseVerification } from '../../../shared/contract';
import { navigate } from '../app/router';
import { useServices } from '../app/services';
import { errorMessage } from '../api/transport';
import { describeGenerate, describeVerification, hasMissing } from '../../../shared/reports';
import { Modal } from '../ui/Modal';

type Open = 'generate' | 'verify' | null;

/** The spec's Timelapse Modal Actions: Generate Thumbnails and Verify Thumbnails. */
export function TimelapseActions({ timelapse, onChanged }: { timelapse: TimelapseDto; onChanged(): void }) {
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
  const [state, setState] = useState<{ running: boolean; result?: GenerateThumbnailsResult; error?: string }>({ running: false });
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
        Regenerates every thumbnail of “{timelapse.name}” ({timelapse.image_count} frames), overwriting the existing ones.
      </p>
      <label className="check">
        <input type="checkbox" checked={includeSmalls} onChange={(e) => setIncludeSmalls(e.target.checked)} /> Include smalls (800×600)
      </label>
      {state.result && (
        <p role="status" className="result">
          {describeGenerate(state.result)}
        </p>
      )}
      {state.error && <p role="alert" className="error-text">{state.error}</p>}
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
  const [state, setState] = useState<{ running: boolean; result?: TimelapseVerification; error?: string }>({ running: false });
  const verify = async () => {
    setState({ running: true });
    try {
      setState({ running: false, result: await api.call('timelapses.verifyThumbnails', { timelapse_id: timelapse.id }) });
    } catch (error) {
      setState({ running: false, error: errorMessage(error) });
    }
  };
  const missing = state.result !== undefined && hasMissing(state.result);
  return (
    <Modal title="Verify Thumbnails" onClose={onClose}>
      <p>Checks that every thumbnail and small of “{timelapse.name}” exists on disk, and corrects the database where not.</p>
      {state.result && (
        <ul role="status" className="result">
          {describeVerification(state.result).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {missing && (
        <div className="smart-prompt" role="alertdialog" aria-label="Repair suggestion">
          <p>Missing thumbnails detected. Run system-wide repair from Settings?</p>
          <button type="button" className="primary" onClick={() => navigate('settings', { focus: 'repair' })}>
            Open Settings
          </button>
          <button type="button" onClick={onClose}>
            Not now
          </button>
        </div>
      )}
      {state.error && <p role="alert" className="error-text">{state.error}</p>}
      <footer className="modal-footer">
        {!state.result && (
          <button type="button" className="primary" onClick={verify} disabled={state.running}>
            {state.running ? 'Verifying…' : 'Verify'}
          </button>
        )}
        {!missing && (
          <button type="button" onClick={onClose}>
            Close
          </button>
        )}
      </footer>
    </Modal>
  );
}
