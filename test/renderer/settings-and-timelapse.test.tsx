// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, ServicesProvider } from '../../src/renderer/src/app/services';
import { SettingsForm } from '../../src/renderer/src/settings/SettingsForm';
import { draftOf, validateDraft } from '../../src/renderer/src/settings/settings-form';
import { TimelapseActions } from '../../src/renderer/src/timelapse/TimelapseActions';
import { DEFAULT_SETTINGS, type Settings, type TimelapseDto } from '../../src/shared/contract';
import { cameraDto, TestTransport } from './fake-transport';
import { regeneration, timelapseVerification } from './maintenance-fixtures';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe('settings validation', () => {
  it('sends only the changed settings, checked by the shared schema', () => {
    const draft = {
      ...draftOf(DEFAULT_SETTINGS),
      thumbnail_quality: '70',
      small_generation_mode: 'latest_only',
    };
    expect(validateDraft(draft, DEFAULT_SETTINGS)).toEqual({
      patch: { thumbnail_quality: 70, small_generation_mode: 'latest_only' },
      errors: {},
    });
    expect(validateDraft(draftOf(DEFAULT_SETTINGS), DEFAULT_SETTINGS).patch).toEqual({});
  });

  it('names each invalid field', () => {
    const draft = {
      ...draftOf(DEFAULT_SETTINGS),
      thumbnail_quality: '150',
      small_quality: 'abc',
      thumbnail_job_batch_size: '2.5',
    };
    const { patch, errors } = validateDraft(draft, DEFAULT_SETTINGS);
    expect(patch).toBeNull();
    expect(Object.keys(errors).sort()).toEqual([
      'small_quality',
      'thumbnail_job_batch_size',
      'thumbnail_quality',
    ]);
    expect(errors.small_quality).toBe('Enter a number');
  });
});

function renderWith(transport: TestTransport, element: React.ReactElement) {
  transport
    .handle('cameras.list', () => [cameraDto(1)])
    .handle('thumbnails.regenerationStatus', () =>
      regeneration({ session_id: null, status: 'idle', total: 0, pending: 0 }),
    );
  return render(
    <ServicesProvider services={createServices(transport.api())}>{element}</ServicesProvider>,
  );
}

describe('settings form', () => {
  it('blocks saving an invalid value, shows why, and saves a valid change', async () => {
    const saved: Settings[] = [];
    const transport = new TestTransport().handle('settings.update', (patch) => ({
      ...DEFAULT_SETTINGS,
      ...patch,
    }));
    renderWith(
      transport,
      <SettingsForm settings={DEFAULT_SETTINGS} onSaved={(s) => saved.push(s)} />,
    );
    const quality = screen.getByLabelText('Thumbnail JPEG quality');
    const save = screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(quality, { target: { value: '101' } });
    expect(quality.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toMatch(/100/);
    expect(save.disabled).toBe(true);
    fireEvent.change(quality, { target: { value: '60' } });
    fireEvent.click(screen.getByLabelText('Purge smalls when a timelapse completes'));
    expect(save.disabled).toBe(false);
    await act(async () => fireEvent.click(save));
    expect(transport.callsOf('settings.update')).toEqual([
      { thumbnail_quality: 60, purge_smalls_on_completion: true },
    ]);
    expect(saved[0]).toMatchObject({ thumbnail_quality: 60, purge_smalls_on_completion: true });
  });
});

const timelapse: TimelapseDto = {
  id: 3,
  camera_id: 1,
  name: 'Garden spring',
  status: 'active',
  started_at: '2026-01-01T00:00:00.000Z',
  completed_at: null,
  image_count: 50,
  thumbnail_count: 50,
  small_count: 50,
  flagged_count: 0,
  created_at: '2026-01-01T00:00:00.000Z',
};

describe('timelapse modal actions', () => {
  it('verifies, shows the result, and prompts with an action that generates what is missing', async () => {
    const transport = new TestTransport()
      .handle('timelapses.verifyThumbnails', () =>
        timelapseVerification(3, { valid_smalls: 50, missing_smalls: 0 }),
      )
      .handle('timelapses.generateThumbnails', () => ({
        jobs_queued: 3,
        estimated_completion: '2026-01-01T12:05:00.000Z',
        session_id: 9,
      }));
    window.timelapser = undefined;
    window.location.hash = '#/timelapse?id=3';
    renderWith(transport, <TimelapseActions timelapse={timelapse} onChanged={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Verify Thumbnails' }));
    expect(screen.getByRole('dialog', { name: 'Verify Thumbnails' })).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Verify' })));
    expect(transport.callsOf('timelapses.verifyThumbnails')).toEqual([{ timelapse_id: 3 }]);
    expect(screen.getByText('47/50 thumbnails valid, 3 missing files')).toBeTruthy();
    expect(
      screen.getByText(
        /^Missing thumbnails detected\. Generate the 3 missing thumbnails of this timelapse now\?/,
      ),
    ).toBeTruthy();
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Generate missing' })),
    );
    expect(transport.callsOf('timelapses.generateThumbnails')).toEqual([
      { timelapse_id: 3, force_regenerate: false, include_smalls: true },
    ]);
    expect(screen.getByText(/^3 jobs queued, estimated completion /)).toBeTruthy();
  });

  it('also leads to the settings for the whole library', async () => {
    const transport = new TestTransport().handle('timelapses.verifyThumbnails', () =>
      timelapseVerification(3),
    );
    window.timelapser = undefined;
    renderWith(transport, <TimelapseActions timelapse={timelapse} onChanged={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Verify Thumbnails' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Verify' })));
    fireEvent.click(screen.getByRole('button', { name: 'Open Settings' }));
    expect(window.location.pathname + window.location.search + window.location.hash).toMatch(
      /settings\?focus=regenerate/,
    );
  });

  it('does not prompt when nothing is missing, and Escape closes the dialog', async () => {
    const transport = new TestTransport().handle('timelapses.verifyThumbnails', () =>
      timelapseVerification(3, {
        valid_thumbnails: 50,
        valid_smalls: 50,
        missing_thumbnails: 0,
        missing_smalls: 0,
        counts_updated: false,
        suggest_repair: false,
      }),
    );
    renderWith(transport, <TimelapseActions timelapse={timelapse} onChanged={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Verify Thumbnails' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Verify' })));
    expect(screen.getByText('50/50 thumbnails valid, 0 missing files')).toBeTruthy();
    expect(screen.queryByText(/Missing thumbnails detected/)).toBeNull();
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('generates thumbnails for the timelapse, overwriting, and says how many jobs were queued', async () => {
    const transport = new TestTransport().handle('timelapses.generateThumbnails', () => ({
      jobs_queued: 47,
      estimated_completion: '2026-01-01T12:05:00.000Z',
      session_id: 5,
    }));
    renderWith(transport, <TimelapseActions timelapse={timelapse} onChanged={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Generate Thumbnails' }));
    fireEvent.click(screen.getByLabelText(/Include smalls/));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Generate' })));
    expect(transport.callsOf('timelapses.generateThumbnails')).toEqual([
      { timelapse_id: 3, force_regenerate: true, include_smalls: false },
    ]);
    expect(screen.getByText(/^47 jobs queued, estimated completion /)).toBeTruthy();
  });
});
