import { useState } from 'react';
import type { CameraTestResult } from '../../../shared/contract';
import { describeCameraTest } from '../../../shared/reports';
import { useServices } from '../app/services';
import { ApiError, errorMessage } from '../api/transport';
import { testArgsOf, type CameraDraft } from './camera-form';

/** What to try next, by the core's error code. */
const NEXT_STEP: Record<string, string> = {
  source_auth:
    'Check the user name and password. Most cameras want digest: leave Authentication on Automatic.',
  source_unreachable:
    'Check the address, and that the camera is on and reachable from this machine.',
  source_timeout: 'The camera did not answer in time: check the address, or whether it is busy.',
  source_bad_content_type:
    'That URL gives no picture: use the camera’s snapshot URL, not its web page.',
  source_not_a_frame:
    'The answer is not a usable camera frame: check the URL and the camera’s image settings.',
  source_http_status: 'Check the path of the URL in the camera’s manual.',
  watch_folder_missing: 'Create the folder, or check the path.',
};

type TestState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'passed'; result: CameraTestResult }
  | { kind: 'failed'; message: string; next: string | null };

/** Test: one frame with the settings as entered, nothing saved; the frame or the exact error. */
export function CameraTest({
  draft,
  cameraId,
  disabled,
}: {
  draft: CameraDraft;
  cameraId?: number;
  disabled: boolean;
}) {
  const { api } = useServices();
  const [state, setState] = useState<TestState>({ kind: 'idle' });
  const run = async () => {
    setState({ kind: 'running' });
    try {
      setState({
        kind: 'passed',
        result: await api.call('cameras.test', testArgsOf(draft, cameraId)),
      });
    } catch (error) {
      const code = error instanceof ApiError ? String(error.details.code ?? '') : '';
      setState({ kind: 'failed', message: errorMessage(error), next: NEXT_STEP[code] ?? null });
    }
  };
  return (
    <section className="camera-test" aria-label="Test">
      <button type="button" onClick={run} disabled={disabled || state.kind === 'running'}>
        {state.kind === 'running' ? 'Testing…' : 'Test'}
      </button>
      <span className="hint"> grabs one frame with these settings; nothing is saved.</span>
      <div aria-live="polite">
        {state.kind === 'passed' && (
          <div className="test-passed" role="status">
            <p>✓ {describeCameraTest(state.result)}</p>
            {state.result.source_type !== 'folder' && state.result.preview && (
              <img
                className="test-preview"
                src={state.result.preview}
                alt="The frame the test grabbed"
              />
            )}
          </div>
        )}
        {state.kind === 'failed' && (
          <div className="test-failed" role="alert">
            <p className="error-text">✗ {state.message}</p>
            {state.next && <p className="hint">{state.next}</p>}
          </div>
        )}
      </div>
    </section>
  );
}
