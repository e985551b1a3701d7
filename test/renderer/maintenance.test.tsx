// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, ServicesProvider } from '../../src/renderer/src/app/services';
import { describeCleanup, describeRepair, describeVerification } from '../../src/shared/reports';
import { MaintenancePanel } from '../../src/renderer/src/settings/MaintenancePanel';
import { createMaintenanceStore } from '../../src/renderer/src/store/maintenance-store';
import { ApiError } from '../../src/renderer/src/api/transport';
import { cameraDto, TestTransport } from './fake-transport';
import {
  cleanupResult,
  deleteAllResult,
  failedJob,
  jobStatistics,
  regeneration,
  repairResult,
  timelapseVerification,
  verification,
} from './maintenance-fixtures';

afterEach(cleanup);

describe('reports in words', () => {
  it('says verification as the spec does', () => {
    expect(describeVerification(verification())).toEqual([
      '47/50 thumbnails valid, 3 missing files',
      '45/50 smalls valid, 5 missing files',
      'Database counts corrected (they said 50 thumbnails and 50 smalls)',
    ]);
    expect(
      describeVerification(
        verification({ error_count: 2, errors: [{ path: 'cameras/camera-1', error: 'EACCES' }] }),
      ).at(-1),
    ).toBe('2 files could not be handled (EACCES: cameras/camera-1, …)');
  });

  it('says repair and cleanup results', () => {
    expect(describeRepair(repairResult({ unparseable_count: 1 }))).toEqual([
      '23 orphaned files found: 18 matched back to their images, 5 deleted',
      '18 database records updated across 7 timelapses',
      '1 file with names that do not parse left alone',
    ]);
    expect(describeCleanup(cleanupResult({ orphaned_files_found: 1 }))).toEqual([
      'Dry run: 1 orphaned file would be deleted (3.0 MB). Nothing was deleted.',
    ]);
    expect(
      describeCleanup(cleanupResult({ exceeds_safety_threshold: true, share: 0.9 }))[1],
    ).toMatch(/90% of all thumbnail files, above the 50% safety threshold/);
    expect(
      describeCleanup(cleanupResult({ dry_run: false, files_deleted: 2, bytes_freed: 2048 })),
    ).toEqual(['2 orphaned files deleted, 2.0 KB freed']);
  });
});

function setup(configure: (transport: TestTransport) => void = () => {}) {
  const transport = new TestTransport()
    .handle('cameras.list', () => [cameraDto(1)])
    .handle('thumbnails.regenerationStatus', () =>
      regeneration({ session_id: null, status: 'idle', total: 0, pending: 0 }),
    )
    .handle('thumbnails.regenerateAll', ({ force_regenerate }) =>
      regeneration({ force_regenerate: force_regenerate as boolean }),
    )
    .handle('thumbnails.cancelRegeneration', () =>
      regeneration({
        status: 'cancelled',
        force_regenerate: false,
        completed: 40,
        cancelled: 160,
        pending: 0,
      }),
    )
    .handle('thumbnails.verifyAll', () => ({
      ...verification(),
      timelapses: [timelapseVerification(3)],
    }))
    .handle('jobs.stats', () => jobStatistics())
    .handle('jobs.failed', () => ({ total: 0, jobs: [], next_before_id: null }));
  configure(transport);
  const services = createServices(transport.api());
  render(
    <ServicesProvider services={services}>
      <MaintenancePanel focus={null} />
    </ServicesProvider>,
  );
  return { transport, services };
}

describe('maintenance panel', () => {
  it('offers "Missing only" (the default) and "Everything", with progress, rate and ETA from events, and cancels', async () => {
    const { transport } = setup();
    const missing = screen.getByRole('button', { name: 'Missing only' });
    expect(missing.className).toContain('primary');
    expect(screen.getByRole('button', { name: 'Everything' }).className).not.toContain('primary');
    expect(screen.queryByRole('checkbox', { name: /Overwrite/ })).toBeNull();
    await act(async () => fireEvent.click(missing));
    expect(transport.callsOf('thumbnails.regenerateAll')).toEqual([
      { force_regenerate: false, include_smalls: true },
    ]);
    act(() =>
      transport.emit({
        type: 'regeneration_progress',
        session_id: 4,
        status: 'running',
        total: 200,
        completed: 48,
        failed: 2,
        pending: 150,
        rate_per_second: 12.5,
        eta_seconds: 12,
      }),
    );
    const bar = screen.getByRole('progressbar', { name: 'Regeneration progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(bar.getAttribute('aria-valuemax')).toBe('200');
    expect(
      screen.getByText(
        'Regenerating (missing only): 50/200 (25%), 2 failed, 12.5 images/s, about 12 s left',
      ),
    ).toBeTruthy();
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Cancel regeneration' })),
    );
    expect(transport.callsOf('thumbnails.cancelRegeneration')).toHaveLength(1);
    expect(
      screen.getByText(
        'Regeneration (missing only) cancelled after 40/200 images; pending jobs cancelled',
      ),
    ).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Everything' })));
    expect(transport.callsOf('thumbnails.regenerateAll').at(-1)).toEqual({
      force_regenerate: true,
      include_smalls: true,
    });
  });

  it('shows the file check "Missing only" makes before it starts', async () => {
    const { transport } = setup();
    let answer: (status: unknown) => void = () => {};
    transport.handle(
      'thumbnails.regenerateAll',
      () => new Promise((resolve) => (answer = resolve)),
    );
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Missing only' })));
    expect(screen.getByRole('button', { name: 'Checking files…' })).toBeTruthy();
    act(() =>
      transport.emit({
        type: 'maintenance_progress',
        operation: 'verify',
        processed: 40,
        total: 200,
        done: false,
      }),
    );
    expect(screen.getByText('Checking files on disk: 40 of 200 images')).toBeTruthy();
    expect(
      screen
        .getByRole('progressbar', { name: 'Checking files on disk' })
        .getAttribute('aria-valuenow'),
    ).toBe('40');
    await act(async () => answer(regeneration({ force_regenerate: false })));
    expect(screen.queryByText(/Checking files on disk/)).toBeNull();
    expect(screen.getByText(/^Regenerating \(missing only\): /)).toBeTruthy();
  });

  it("pauses and resumes the queue, showing each priority's wait and ETA", async () => {
    let paused = false;
    const state = () => ({
      paused,
      paused_at: paused ? '2026-01-01T10:00:00.000Z' : null,
      paused_by: paused ? 'box, pid 42' : null,
    });
    const { transport } = setup((transport) =>
      transport
        .handle('jobs.stats', () =>
          jobStatistics({
            queue: state(),
            priorities: jobStatistics().priorities.map((p) =>
              paused && p.waiting > 0 ? { ...p, eta_seconds: null } : p,
            ),
          }),
        )
        .handle('jobs.pause', () => ((paused = true), state()))
        .handle('jobs.resume', () => ((paused = false), state())),
    );
    await act(async () => {});
    const card = within(document.querySelector('[data-action="queue"]') as HTMLElement);
    expect(card.getByText('The queue is running')).toBeTruthy();
    expect(card.getByText('High: 2 waiting, done in about 1 s')).toBeTruthy();
    expect(card.getByText('Medium: 10 waiting, done in about 6 s')).toBeTruthy();
    expect(card.getByText('Low: nothing waiting')).toBeTruthy();
    await act(async () => fireEvent.click(card.getByRole('button', { name: 'Pause queue' })));
    expect(transport.callsOf('jobs.pause')).toHaveLength(1);
    expect(
      card.getByText(
        /^The queue is paused since .* \(by box, pid 42\): no process starts another job until it is resumed$/,
      ),
    ).toBeTruthy();
    expect(card.getByText('Medium: 10 waiting, waiting for the queue to resume')).toBeTruthy();
    await act(async () => fireEvent.click(card.getByRole('button', { name: 'Resume queue' })));
    expect(transport.callsOf('jobs.resume')).toHaveLength(1);
    expect(card.getByText('The queue is running')).toBeTruthy();
  });

  it('lists failed jobs by frame with error and attempts, and retries one or clears all', async () => {
    let jobs = [
      failedJob(7),
      failedJob(6, { error_message: 'JPEG is corrupt: premature end', attempts: 1 }),
    ];
    const { transport } = setup((transport) =>
      transport
        .handle('jobs.failed', () => ({ total: jobs.length, jobs, next_before_id: null }))
        .handle('jobs.retryFailed', ({ job_ids }) => {
          jobs = jobs.filter((job) => !(job_ids as number[]).includes(job.job_id));
          return { requeued: 1, superseded: 0 };
        })
        .handle('jobs.clearFailed', () => ({ count: jobs.splice(0).length })),
    );
    await act(async () => {});
    const card = within(document.querySelector('[data-action="failed-jobs"]') as HTMLElement);
    expect(card.getByText('2 failed jobs')).toBeTruthy();
    const row = within(document.querySelector('[data-job-id="6"]') as HTMLElement);
    expect(
      row.getByRole('link', { name: 'Front door / Garden spring' }).getAttribute('href'),
    ).toMatch(/timelapse\?id=3$/);
    expect(row.getByText('timelapse-3_day001_080006.jpg')).toBeTruthy();
    expect(row.getByText('JPEG is corrupt: premature end')).toBeTruthy();
    expect(row.getByText('1')).toBeTruthy();
    await act(async () => fireEvent.click(row.getByRole('button', { name: 'Retry job 6' })));
    expect(transport.callsOf('jobs.retryFailed')).toEqual([{ job_ids: [6] }]);
    expect(card.getByText('1 job queued again')).toBeTruthy();
    expect(card.getByText('1 failed job')).toBeTruthy();
    await act(async () => fireEvent.click(card.getByRole('button', { name: 'Clear all' })));
    expect(transport.callsOf('jobs.clearFailed')).toEqual([{}]);
    expect(card.getByText('No failed jobs.')).toBeTruthy();
  });

  it('verifies everything and reports it in words, with the timelapses that miss files', async () => {
    setup();
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Verify All Thumbnails' })),
    );
    expect(screen.getByText('47/50 thumbnails valid, 3 missing files')).toBeTruthy();
    expect(screen.getByText('Timelapse 3: 3 thumbnails, 5 smalls missing')).toBeTruthy();
  });

  it('previews a cleanup as a dry run that lists the files, and deletes only on confirm', async () => {
    const { transport } = setup();
    const files = [
      'cameras/camera-1/timelapse-1/thumbnails/timelapse-1_thumb_day001_000001.jpg',
      'cameras/camera-1/timelapse-1/smalls/x.jpg',
    ];
    transport.handle('thumbnails.cleanup', ({ dry_run }) =>
      dry_run
        ? cleanupResult({ files })
        : cleanupResult({ dry_run: false, files, files_deleted: 2, bytes_freed: 3 * 1024 * 1024 }),
    );
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Preview cleanup (dry run)' })),
    );
    expect(transport.callsOf('thumbnails.cleanup')).toEqual([{ dry_run: true }]);
    expect(
      screen.getByText('Dry run: 2 orphaned files would be deleted (3.0 MB). Nothing was deleted.'),
    ).toBeTruthy();
    const list = screen.getByRole('list', { name: 'Files that would be deleted' });
    expect(list.textContent).toContain('timelapse-1_thumb_day001_000001.jpg');
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Delete 2 orphaned files' })),
    );
    expect(transport.callsOf('thumbnails.cleanup')).toEqual([
      { dry_run: true },
      { dry_run: false, force: false },
    ]);
    expect(screen.getByText('2 orphaned files deleted, 3.0 MB freed')).toBeTruthy();
  });

  it('warns when a cleanup would cross the safety threshold and forces only when confirmed anyway', async () => {
    const { transport } = setup();
    transport.handle('thumbnails.cleanup', ({ dry_run, force }) => {
      if (dry_run)
        return cleanupResult({
          orphaned_files_found: 9,
          files: ['a'],
          exceeds_safety_threshold: true,
          share: 0.9,
        });
      if (!force) throw new ApiError('refused', 409);
      return cleanupResult({
        dry_run: false,
        force: true,
        orphaned_files_found: 9,
        files_deleted: 9,
        bytes_freed: 9,
      });
    });
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Preview cleanup (dry run)' })),
    );
    expect(screen.getByText(/above the 50% safety threshold/)).toBeTruthy();
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Delete 9 files anyway' })),
    );
    expect(transport.callsOf('thumbnails.cleanup').at(-1)).toEqual({ dry_run: false, force: true });
    expect(screen.getByText('9 orphaned files deleted, 9 B freed')).toBeTruthy();
  });

  it('offers to override when the core refuses a cleanup the preview allowed', async () => {
    const { transport } = setup();
    transport.handle('thumbnails.cleanup', ({ dry_run, force }) => {
      if (dry_run) return cleanupResult({ orphaned_files_found: 9, files: ['a'] });
      if (!force)
        throw new ApiError(
          'Cleanup would delete 90% of thumbnails (threshold 50%); pass force',
          409,
        );
      return cleanupResult({ dry_run: false, files_deleted: 9, bytes_freed: 9 });
    });
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Preview cleanup (dry run)' })),
    );
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Delete 9 orphaned files' })),
    );
    expect(screen.getByRole('alert').textContent).toContain('threshold 50%');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: /Delete anyway/ })));
    expect(screen.getByText('9 orphaned files deleted, 9 B freed')).toBeTruthy();
  });

  it('deletes all thumbnails only after the confirmation word is typed', async () => {
    const { transport } = setup();
    transport.handle('thumbnails.deleteAll', () => deleteAllResult());
    const button = screen.getByRole('button', {
      name: 'Delete All Thumbnails',
    }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/to confirm/), { target: { value: 'delete' } });
    expect(button.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/to confirm/), { target: { value: 'DELETE' } });
    expect(button.disabled).toBe(false);
    await act(async () => fireEvent.click(button));
    expect(transport.callsOf('thumbnails.deleteAll')).toEqual([{ confirm: true }]);
    expect(
      screen.getByText(
        'All thumbnails deleted: 5 thumbnails and 5 smalls removed, 5 database records cleared',
      ),
    ).toBeTruthy();
  });
});

describe('maintenance store', () => {
  it('puts maintenance progress on the running action only', async () => {
    let finish: (value: unknown) => void = () => {};
    const transport = new TestTransport().handle(
      'thumbnails.repair',
      () => new Promise((resolve) => (finish = resolve)),
    );
    const store = createMaintenanceStore(transport.api());
    const repairing = store.getState().repair();
    store.getState().handleEvent({
      type: 'maintenance_progress',
      operation: 'repair',
      processed: 500,
      total: 2000,
      done: false,
    });
    store.getState().handleEvent({
      type: 'maintenance_progress',
      operation: 'verify',
      processed: 1,
      total: 2,
      done: false,
    });
    expect(store.getState().actions.repair.progress).toEqual({ processed: 500, total: 2000 });
    expect(store.getState().actions.verify.progress).toBeNull();
    finish(repairResult());
    await repairing;
    expect(store.getState().actions.repair).toMatchObject({ status: 'done', progress: null });
  });

  it('does not start an action twice while it runs', async () => {
    const transport = new TestTransport().handle('thumbnails.repair', () => new Promise(() => {}));
    const store = createMaintenanceStore(transport.api());
    void store.getState().repair();
    void store.getState().repair();
    expect(transport.callsOf('thumbnails.repair')).toHaveLength(1);
  });

  it('builds a full status from a progress event that arrives before any status answer', () => {
    const store = createMaintenanceStore(new TestTransport().api());
    store.getState().handleEvent({
      type: 'regeneration_progress',
      session_id: 9,
      status: 'running',
      total: 10,
      completed: 1,
      failed: 0,
      pending: 9,
      rate_per_second: 1,
      eta_seconds: 9,
    });
    expect(store.getState().regeneration).toMatchObject({
      session_id: 9,
      status: 'running',
      total: 10,
      queueing: false,
      cancelled: 0,
    });
  });
});
