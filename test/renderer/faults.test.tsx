// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AppHeader } from '../../src/renderer/src/app/AppHeader';
import { createServices, ServicesProvider } from '../../src/renderer/src/app/services';
import { MaintenancePanel } from '../../src/renderer/src/settings/MaintenancePanel';
import { tileHealth, tileProblem } from '../../src/renderer/src/store/wall-store';
import type { CameraDto, StorageStatus } from '../../src/shared/contract';
import { cameraDto, TestTransport } from './fake-transport';
import { missingOriginalsResult, regeneration, repairResult } from './maintenance-fixtures';

afterEach(cleanup);

const MB = 1024 * 1024;

function storage(patch: Partial<StorageStatus> = {}): StorageStatus {
  return {
    state: 'ok',
    paused: false,
    free_bytes: 40_000 * MB,
    total_bytes: 100_000 * MB,
    min_free_bytes: 1024 * MB,
    resume_at_bytes: 1032 * MB,
    paused_since: null,
    checked_at: '2026-05-01T10:00:00.000Z',
    last_error: null,
    ...patch,
  };
}

function mount(transport: TestTransport, ui: React.ReactNode) {
  const services = createServices(transport.api());
  render(<ServicesProvider services={services}>{ui}</ServicesProvider>);
  return services;
}

describe('a full disk in the UI', () => {
  it('shows a banner in the header while capture and thumbnails are paused, and drops it when they resume', async () => {
    // The server's status, which the event announces and a refresh reads back.
    let current = storage();
    const transport = new TestTransport()
      .handle('cameras.list', () => [cameraDto(1)])
      .handle('thumbnails.regenerationStatus', () => regeneration({ status: 'idle' }))
      .handle('system.storage', () => current);
    const announce = (status: StorageStatus) =>
      act(async () => {
        current = status;
        transport.emit({ type: 'storage_changed', ...status });
      });
    await act(async () => void mount(transport, <AppHeader current="" />));
    expect(screen.queryByRole('alert')).toBeNull();

    await announce(storage({ state: 'full', paused: true, free_bytes: 0, last_error: 'ENOSPC' }));
    const banner = screen.getByRole('alert');
    expect(banner.textContent).toBe(
      'Disk fullCapture and thumbnails are paused (0 B free); they resume by themselves once 1.0 GB are free.',
    );
    expect(banner.getAttribute('title')).toMatch(/The library's disk is full .*free some space/);

    await announce(storage({ state: 'low', paused: true, free_bytes: 300 * MB }));
    expect(screen.getByRole('alert').textContent).toMatch(/^Disk almost full.*\(300 MB free\)/);

    await announce(storage());
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('marks a paused camera as paused, not failing, and says it resumes by itself', () => {
    const camera: CameraDto = {
      ...cameraDto(1),
      capture: {
        camera_id: 1,
        state: 'paused_disk_full',
        consecutive_failures: 0,
        last_error: null,
        next_attempt_at: null,
      },
    };
    const health = tileHealth(camera, 'open', Date.now());
    expect(health).toBe('paused');
    expect(tileProblem(camera, health, { state: 'full' })).toBe(
      'Paused: disk full · resumes by itself once space is free',
    );
    expect(tileProblem(camera, health, { state: 'low' })).toMatch(/^Paused: disk almost full/);
  });
});

describe('maintenance that deletes says how much first', () => {
  function panel() {
    const transport = new TestTransport()
      .handle('cameras.list', () => [])
      .handle('system.storage', () => storage())
      .handle('thumbnails.regenerationStatus', () => regeneration({ status: 'idle' }));
    mount(transport, <MaintenancePanel focus={null} />);
    return transport;
  }

  it('repair: a dry run lists the files that would go; above the threshold the confirmation forces', async () => {
    const transport = panel().handle('thumbnails.repair', (args) =>
      args.dry_run
        ? repairResult({
            dry_run: true,
            files_deleted: 0,
            files_unmatched: 600,
            share: 1,
            exceeds_safety_threshold: true,
            files: ['cameras/camera-1/timelapse-1/thumbnails/timelapse-1_thumb_day001_080000.jpg'],
          })
        : repairResult({ force: true, files_deleted: 600 }),
    );
    const card = screen.getByRole('article', { name: 'Repair Orphaned Thumbnails' });
    await act(async () =>
      fireEvent.click(within(card).getByRole('button', { name: 'Preview repair (dry run)' })),
    );
    expect(transport.callsOf('thumbnails.repair')).toEqual([{ dry_run: true }]);
    expect(within(card).getByText(/would be deleted\. Nothing was changed/)).toBeTruthy();
    expect(within(card).getByText(/above the 50% safety threshold/)).toBeTruthy();
    const list = within(card).getByRole('list', {
      name: 'Files that match no image and would be deleted',
    });
    expect(list.textContent).toMatch(/timelapse-1_thumb_day001_080000\.jpg…and 599 more/);

    await act(async () =>
      fireEvent.click(
        within(card).getByRole('button', { name: 'Repair and delete 600 files anyway' }),
      ),
    );
    expect(transport.callsOf('thumbnails.repair').at(-1)).toEqual({ dry_run: false, force: true });
    expect(
      within(card).getByText(
        '23 orphaned files found: 18 matched back to their images, 600 deleted',
      ),
    ).toBeTruthy();
  });

  it('missing originals: listed by a dry run, removed only once confirmed', async () => {
    const transport = panel().handle('frames.removeMissing', (args) =>
      args.dry_run
        ? missingOriginalsResult()
        : missingOriginalsResult({ dry_run: false, records_removed: 2, variant_files_deleted: 4 }),
    );
    const card = screen.getByRole('article', { name: 'Remove Missing Originals' });
    await act(async () =>
      fireEvent.click(
        within(card).getByRole('button', { name: 'Find missing originals (dry run)' }),
      ),
    );
    expect(
      within(card).getByRole('list', { name: 'Records whose frame file is gone' }).textContent,
    ).toMatch(/timelapse-2_day001_080000\.jpg/);
    expect(transport.callsOf('frames.removeMissing')).toEqual([{ dry_run: true }]);
    await act(async () =>
      fireEvent.click(within(card).getByRole('button', { name: 'Remove 2 dead records' })),
    );
    expect(transport.callsOf('frames.removeMissing').at(-1)).toEqual({
      dry_run: false,
      force: false,
    });
    expect(
      within(card).getByText(
        '2 dead image records removed across 1 timelapse, with 4 thumbnail files',
      ),
    ).toBeTruthy();
  });
});
