// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Suspense } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazyScreen } from '../../src/renderer/src/app/lazy-screen';
import { ScreenBoundary } from '../../src/renderer/src/app/ScreenBoundary';
import { createServices, ServicesProvider } from '../../src/renderer/src/app/services';
import { ApiError } from '../../src/renderer/src/api/transport';
import { SettingsPage } from '../../src/renderer/src/settings/SettingsPage';
import { CoverageSection } from '../../src/renderer/src/statistics/CoverageSection';
import { ProgressBar } from '../../src/renderer/src/ui/ProgressBar';
import { LiveImage } from '../../src/renderer/src/wall/LiveImage';
import {
  DEFAULT_SETTINGS,
  NO_REGENERATION,
  type ThumbnailStatistics,
} from '../../src/shared/contract';
import { TestTransport } from './fake-transport';
import { jobStatistics } from './maintenance-fixtures';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function renderWith(transport: TestTransport, ui: React.ReactNode) {
  const services = createServices(transport.api());
  render(<ServicesProvider services={services}>{ui}</ServicesProvider>);
  return services;
}

/** A core that is away until `up()`: every call fails as a fetch to a stopped server does. */
function awayCore() {
  let reachable = false;
  const transport = new TestTransport();
  const when = (answer: () => unknown) => () => {
    if (!reachable) throw new ApiError('Server unreachable: Failed to fetch', 0);
    return answer();
  };
  transport
    .handle(
      'cameras.list',
      when(() => []),
    )
    .handle(
      'thumbnails.regenerationStatus',
      when(() => NO_REGENERATION),
    )
    .handle(
      'settings.get',
      when(() => DEFAULT_SETTINGS),
    )
    .handle(
      'jobs.stats',
      when(() => jobStatistics()),
    )
    .handle(
      'jobs.failed',
      when(() => ({ total: 0, jobs: [], next_before_id: null })),
    );
  return {
    transport,
    up() {
      reachable = true;
    },
  };
}

describe('an app that recovers by itself', () => {
  it('Settings says the server is away (never "Loading…" beside it), then fills in when the connection returns', async () => {
    const core = awayCore();
    renderWith(core.transport, <SettingsPage focus={null} />);
    await act(async () => {});
    expect(
      screen.getByText(
        /^Cannot load the settings: Server unreachable: Failed to fetch\. Trying again by itself…$/,
      ),
    ).toBeTruthy();
    expect(screen.queryByText(/Loading/)).toBeNull();
    act(() => core.transport.setState('down'));
    core.up();
    await act(async () => core.transport.setState('open'));
    expect(screen.getByLabelText('Thumbnail JPEG quality')).toBeTruthy();
    expect(screen.queryByText(/Cannot load/)).toBeNull();
  });

  it('a failed load is tried again by itself, with a growing pause', async () => {
    vi.useFakeTimers();
    const core = awayCore();
    renderWith(core.transport, <SettingsPage focus={null} />);
    await act(async () => {});
    const calls = () => core.transport.callsOf('settings.get').length;
    const first = calls();
    await act(async () => vi.advanceTimersByTime(2000));
    expect(calls()).toBe(first + 1);
    await act(async () => vi.advanceTimersByTime(2000)); // the second pause is 4 s
    expect(calls()).toBe(first + 1);
    core.up();
    await act(async () => vi.advanceTimersByTime(2000));
    expect(calls()).toBe(first + 2);
    expect(screen.getByLabelText('Thumbnail JPEG quality')).toBeTruthy();
  });

  it('a lazily loaded screen retries its code until it loads', async () => {
    vi.useFakeTimers();
    let attempts = 0;
    const Screen = lazyScreen(async () => {
      attempts++;
      if (attempts < 3)
        throw new TypeError(
          'Failed to fetch dynamically imported module: /assets/StatisticsPage.js',
        );
      return { default: () => <p>Statistics here</p> };
    });
    render(
      <Suspense fallback={<p>Loading statistics…</p>}>
        <Screen />
      </Suspense>,
    );
    expect(screen.getByText('Loading statistics…')).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(attempts).toBe(2);
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(attempts).toBe(3);
    expect(screen.getByText('Statistics here')).toBeTruthy();
  });

  it("keeps one screen's failure to that screen and renders it again when the connection is back", async () => {
    const core = awayCore();
    let broken = true;
    const Fragile = () => {
      if (broken) throw new Error('chart data malformed');
      return <p>Recovered screen</p>;
    };
    vi.spyOn(console, 'error').mockImplementation(() => {});
    renderWith(
      core.transport,
      <>
        <header>Header stays</header>
        <ScreenBoundary>
          <Fragile />
        </ScreenBoundary>
      </>,
    );
    expect(screen.getByText('Header stays')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain(
      'This screen failed: chart data malformed',
    );
    broken = false;
    act(() => core.transport.setState('down'));
    await act(async () => core.transport.setState('open'));
    expect(screen.getByText('Recovered screen')).toBeTruthy();
  });

  it('renders a failed screen again on "Retry now"', () => {
    let broken = true;
    const Fragile = () => {
      if (broken) throw new Error('boom');
      return <p>Recovered screen</p>;
    };
    vi.spyOn(console, 'error').mockImplementation(() => {});
    renderWith(
      awayCore().transport,
      <ScreenBoundary>
        <Fragile />
      </ScreenBoundary>,
    );
    broken = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(screen.getByText('Recovered screen')).toBeTruthy();
  });
});

describe('states that are not loading bars for ever', () => {
  it('a bar with nothing to do is empty, not busy', () => {
    render(<ProgressBar value={0} max={0} label="Thumbnail coverage" />);
    const bar = screen.getByRole('progressbar', { name: 'Thumbnail coverage' });
    expect(bar.getAttribute('aria-valuemax')).toBe('0');
    expect(bar.querySelector('.progress-indeterminate')).toBeNull();
  });

  it('an empty library says so, with the scan time of its (zero) orphans', () => {
    const stats: ThumbnailStatistics = {
      total_images: 0,
      images_with_thumbnails: 0,
      images_with_smalls: 0,
      orphaned_thumbnail_files: 0,
      orphaned_small_files: 0,
      total_disk_usage: { thumbnails_mb: 0, smalls_mb: 0 },
      generation_stats: {
        pending_jobs: 0,
        processing_jobs: 0,
        failed_jobs_24h: 0,
        completed_jobs_24h: 0,
      },
      orphan_scan: { scanned_at: '2026-01-01T10:00:00.000Z', scanning: false, stale: false },
      storage: {
        scanned_at: '2026-01-01T10:00:00.000Z',
        frames_bytes: 0,
        thumbnails_bytes: 0,
        smalls_bytes: 0,
        videos_bytes: 0,
        disk_free_bytes: 1e9,
        disk_total_bytes: 2e9,
      },
    };
    render(<CoverageSection stats={stats} scanning={false} onScan={() => {}} />);
    expect(screen.getByText(/^No images yet\./)).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByText('0 thumbnails, 0 smalls')).toBeTruthy();
    expect(screen.getByText(/^scanned /)).toBeTruthy();
  });

  it('a tile on a slow link shows that its picture is loading, until it draws', () => {
    const { container } = render(
      <LiveImage
        frameKey="7"
        chain={[{ variant: 'thumbnail', url: 'http://x/images/7/thumbnail' }]}
        alt="Cam 1"
      />,
    );
    const live = container.querySelector<HTMLElement>('.live-image')!;
    expect(live.dataset.loading).toBe('true');
    expect(container.querySelector('.live-image-loading')?.textContent).toBe('Loading…');
    fireEvent.load(container.querySelector('img.live-image-front')!);
    expect(live.dataset.loading).toBeUndefined();
    expect(container.querySelector('.live-image-loading')).toBeNull();
  });
});
