// @vitest-environment jsdom
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/renderer/src/api/transport';
import { createServices, ServicesProvider } from '../../src/renderer/src/app/services';
import {
  createWallStore,
  formatAge,
  tileHealth,
  tileProblem,
} from '../../src/renderer/src/store/wall-store';
import { CameraWall } from '../../src/renderer/src/wall/CameraWall';
import { cameraDto, TestTransport } from './fake-transport';

afterEach(cleanup);

const T0 = Date.parse('2026-01-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function transportWith(cameras = [cameraDto(2), cameraDto(1)]) {
  return new TestTransport()
    .handle('cameras.list', () => cameras)
    .handle('cameras.get', ({ camera_id }) => {
      const camera = cameras.find((c) => c.id === camera_id);
      if (!camera) throw new ApiError('Camera not found', 404);
      return camera;
    });
}

describe('wall store', () => {
  let transport: TestTransport;
  beforeEach(() => {
    transport = transportWith();
  });

  it('loads the cameras in id order with their latest frames', async () => {
    const store = createWallStore(transport.api(), () => T0);
    await store.getState().refresh();
    const state = store.getState();
    expect(state.loaded).toBe(true);
    expect(state.cameras.map((c) => c.id)).toEqual([1, 2]);
    expect(state.frames[1]).toEqual({ image_id: 100, captured_at: iso(T0) });
  });

  it('shows the frame a thumbnails_ready event names, never stepping back in time', async () => {
    const store = createWallStore(transport.api(), () => T0);
    await store.getState().refresh();
    const ready = (image_id: number, at: number) =>
      store.getState().handleEvent({
        type: 'thumbnails_ready',
        image_id,
        camera_id: 1,
        timelapse_id: 1,
        captured_at: iso(at),
        has_thumbnail: true,
        has_small: true,
      });
    ready(101, T0 + 10_000);
    expect(store.getState().frames[1]!.image_id).toBe(101);
    expect(store.getState().cameras[0]!.last_capture_at).toBe(iso(T0 + 10_000));
    ready(99, T0 - 60_000); // a regenerated old frame
    expect(store.getState().frames[1]!.image_id).toBe(101);
    expect(store.getState().cameras[0]!.last_capture_at).toBe(iso(T0 + 10_000));
    expect(store.getState().frames[2]!.image_id).toBe(200);
  });

  it('records captures, failures and rejections per camera', async () => {
    const store = createWallStore(transport.api(), () => T0);
    await store.getState().refresh();
    const { handleEvent } = store.getState();
    handleEvent({
      type: 'capture_failed',
      camera_id: 2,
      error: 'HTTP 503 from snapshot URL',
      retry_in_seconds: 30,
    });
    expect(store.getState().cameras.find((c) => c.id === 2)!.last_error).toBe(
      'HTTP 503 from snapshot URL',
    );
    handleEvent({
      type: 'frame_rejected',
      camera_id: 2,
      reason: 'uniform',
      message: 'The frame is one flat colour',
      rejected_total: 4,
      since_last_frame: 2,
    });
    expect(store.getState().cameras.find((c) => c.id === 2)).toMatchObject({
      rejected_frames: 4,
      rejections_since_last_frame: 2,
      last_error: 'frame rejected (uniform): The frame is one flat colour',
    });
    handleEvent({
      type: 'frame_captured',
      camera_id: 2,
      timelapse_id: 2,
      image_id: 201,
      captured_at: iso(T0 + 5000),
    });
    const camera = store.getState().cameras.find((c) => c.id === 2)!;
    expect(camera.last_error).toBeNull();
    expect(camera.rejections_since_last_frame).toBe(0);
    expect(camera.last_capture_at).toBe(iso(T0 + 5000));
    // With thumbnails on, the tile waits for thumbnails_ready before it changes.
    expect(store.getState().frames[2]!.image_id).toBe(200);
  });

  it('shows a captured frame at once for a camera that makes no thumbnails', async () => {
    transport = transportWith([cameraDto(1, { generate_thumbnails: false })]);
    const store = createWallStore(transport.api(), () => T0);
    await store.getState().refresh();
    store
      .getState()
      .handleEvent({
        type: 'frame_captured',
        camera_id: 1,
        timelapse_id: 1,
        image_id: 150,
        captured_at: iso(T0 + 1000),
      });
    expect(store.getState().frames[1]!.image_id).toBe(150);
  });

  it('re-reads a changed camera and drops one that is gone', async () => {
    const cameras = [cameraDto(1), cameraDto(2)];
    transport = transportWith(cameras);
    const store = createWallStore(transport.api(), () => T0);
    await store.getState().refresh();
    cameras[0] = cameraDto(1, { name: 'Driveway', enabled: false });
    store.getState().handleEvent({ type: 'camera_changed', camera_id: 1 });
    await waitFor(() => store.getState().cameras[0]!.name === 'Driveway');
    expect(store.getState().cameras[0]!.enabled).toBe(false);
    cameras.splice(1, 1);
    store.getState().handleEvent({ type: 'camera_changed', camera_id: 2 });
    await waitFor(() => store.getState().cameras.length === 1);
    expect(store.getState().frames[2]).toBeUndefined();
  });

  it('keeps what it has and reports why when the cameras cannot be loaded', async () => {
    transport = new TestTransport().handle('cameras.list', () => {
      throw new ApiError('Server unreachable', 0);
    });
    const store = createWallStore(transport.api(), () => T0);
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ loaded: false, loadError: 'Server unreachable' });
  });
});

describe('tileHealth', () => {
  const camera = cameraDto(1, { last_capture_at: iso(T0), capture_interval_s: 10 });

  it('is live until no frame came for twice the capture interval, then stale', () => {
    expect(tileHealth(camera, 'open', T0 + 20_000)).toBe('live');
    expect(tileHealth(camera, 'open', T0 + 20_001)).toBe('stale');
    expect(tileHealth({ ...camera, last_capture_at: null }, 'open', T0)).toBe('stale');
  });

  it('marks every tile offline while the event stream is down', () => {
    expect(tileHealth(camera, 'down', T0 + 1000)).toBe('offline');
  });

  it('says disabled or failing before anything else', () => {
    expect(tileHealth({ ...camera, enabled: false }, 'down', T0)).toBe('disabled');
    expect(tileHealth({ ...camera, last_error: 'timeout' }, 'open', T0)).toBe('failing');
  });

  it('formats ages in words', () => {
    expect(formatAge(iso(T0), T0 + 12_000)).toBe('12 s ago');
    expect(formatAge(iso(T0), T0 + 5 * 60_000)).toBe('5 min ago');
    expect(formatAge(iso(T0), T0 + 3 * 3_600_000)).toBe('3 h ago');
    expect(formatAge(null, T0)).toBe('never');
  });
});

describe('the wall fed by the event stream', () => {
  let hidden = false;
  beforeEach(() => {
    hidden = false;
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hidden ? 'hidden' : 'visible'),
    });
  });

  async function mountWall(transport: TestTransport) {
    const services = createServices(transport.api());
    const onOpen: number[] = [];
    const Wall = () => {
      const cameras = services.wall.getState().cameras;
      return <CameraWall cameras={cameras} onOpen={(id) => onOpen.push(id)} />;
    };
    const utils = render(
      <ServicesProvider services={services}>
        <Wall />
      </ServicesProvider>,
    );
    await act(async () => waitFor(() => services.wall.getState().loaded));
    utils.rerender(
      <ServicesProvider services={services}>
        <Wall />
      </ServicesProvider>,
    );
    return { ...utils, services, onOpen };
  }

  const tile = (container: HTMLElement, id: number) =>
    container.querySelector<HTMLElement>(`[data-camera-id="${id}"]`)!;

  it('shows one tile per camera and marks them offline when the stream drops, refreshing on reconnect', async () => {
    const transport = transportWith();
    const { container, services } = await mountWall(transport);
    expect(container.querySelectorAll('.tile')).toHaveLength(2);
    expect(transport.callsOf('cameras.list')).toHaveLength(1);
    act(() => transport.setState('down'));
    expect(services.wall.getState().connection).toBe('down');
    expect(tile(container, 1).dataset.health).toBe('offline');
    act(() => transport.setState('connecting'));
    await act(async () => transport.setState('open'));
    expect(transport.callsOf('cameras.list')).toHaveLength(2);
  });

  it('stops loading new frames while hidden and catches up as soon as it is visible', async () => {
    const transport = transportWith();
    const { container } = await mountWall(transport);
    const ready = (image_id: number) =>
      transport.emit({
        type: 'thumbnails_ready',
        image_id,
        camera_id: 1,
        timelapse_id: 1,
        captured_at: iso(Date.now() + image_id),
        has_thumbnail: true,
        has_small: true,
      });
    hidden = true;
    act(() => document.dispatchEvent(new Event('visibilitychange')));
    act(() => ready(101));
    act(() => ready(102));
    expect(tile(container, 1).querySelector('img.live-image-back')).toBeNull();
    hidden = false;
    act(() => document.dispatchEvent(new Event('visibilitychange')));
    expect(
      tile(container, 1).querySelector<HTMLImageElement>('img.live-image-back')!.src,
    ).toContain('/image/102/');
  });

  it('opens a camera on click or Enter and moves between tiles with the arrow keys', async () => {
    const transport = transportWith([cameraDto(1), cameraDto(2), cameraDto(3)]);
    const { container, onOpen } = await mountWall(transport);
    const first = tile(container, 1);
    expect(first.tabIndex).toBe(0);
    expect(tile(container, 2).tabIndex).toBe(-1);
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(tile(container, 2));
    expect(tile(container, 2).tabIndex).toBe(0);
    fireEvent.keyDown(tile(container, 2), { key: 'Enter' });
    fireEvent.click(tile(container, 3));
    expect(onOpen).toEqual([2, 3]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('tileProblem', () => {
  it("says why a tile is not live, with the capture worker's error and retry time", () => {
    const failing = cameraDto(1, {
      last_error: 'old',
      capture: {
        camera_id: 1,
        state: 'backoff',
        consecutive_failures: 3,
        last_error: 'ffmpeg timed out',
        next_attempt_at: iso(T0),
      },
    });
    expect(tileProblem(failing, tileHealth(failing, 'open', T0))).toMatch(
      /^ffmpeg timed out · retrying at /,
    );
    const refusing = cameraDto(4, {
      last_error: 'frame rejected (corrupt_data): Corrupt JPEG data',
      rejections_since_last_frame: 3,
    });
    expect(tileProblem(refusing, tileHealth(refusing, 'open', T0))).toBe(
      '3 frames refused since the last good one · frame rejected (corrupt_data): Corrupt JPEG data',
    );
    const disabled = cameraDto(2, { enabled: false });
    expect(tileProblem(disabled, 'disabled')).toBe('Capture is disabled for this camera');
    expect(tileProblem({ ...disabled, last_error: 'HTTP 503' }, 'disabled')).toBe(
      'Capture is disabled · last error: HTTP 503',
    );
    const idle = cameraDto(3, {
      capture: {
        camera_id: 3,
        state: 'no_active_timelapse',
        consecutive_failures: 0,
        last_error: null,
        next_attempt_at: null,
      },
    });
    expect(tileProblem(idle, tileHealth(idle, 'open', T0 + 3_600_000))).toBe(
      'No active timelapse: start one to capture',
    );
    expect(tileProblem(cameraDto(4), 'live')).toBeNull();
  });
});
