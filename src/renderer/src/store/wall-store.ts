import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CameraDto, CoreEventBody } from '../../../shared/contract';
import type { Api } from '../api/client';
import type { ConnectionState } from '../api/transport';
import { errorMessage } from '../api/transport';
import { formatTime, refusalsSinceFrame } from '../../../shared/reports';

/** The frame a tile shows: its image id is the picture's identity and cache key. */
export interface LatestFrame {
  image_id: number;
  captured_at: string;
}

export interface WallState {
  cameras: CameraDto[];
  /** The newest displayable frame per camera id. */
  frames: Record<number, LatestFrame>;
  loaded: boolean;
  loadError: string | null;
  connection: ConnectionState;
  /** False while the window or tab is hidden: tiles load nothing then. */
  visible: boolean;
  /** The clock ages and stale badges are computed against. */
  now: number;

  refresh(): Promise<void>;
  refreshCamera(cameraId: number): Promise<void>;
  /** Only the type and fields matter here, not when it was emitted. */
  handleEvent(event: CoreEventBody): void;
  setConnection(state: ConnectionState): void;
  setVisible(visible: boolean): void;
  tick(now?: number): void;
}

export type WallStore = StoreApi<WallState>;

export function createWallStore(api: Api, clock: () => number = Date.now): WallStore {
  return createStore<WallState>()((set, get) => {
    const patchCamera = (cameraId: number, patch: (camera: CameraDto) => Partial<CameraDto>) =>
      set((state) => ({
        cameras: state.cameras.map((camera) =>
          camera.id === cameraId ? { ...camera, ...patch(camera) } : camera,
        ),
      }));

    const showFrame = (cameraId: number, frame: LatestFrame) =>
      set((state) => {
        const current = state.frames[cameraId];
        // Events may arrive out of order (a regenerated old frame): never step back in time.
        if (current && Date.parse(current.captured_at) > Date.parse(frame.captured_at)) return {};
        return { frames: { ...state.frames, [cameraId]: frame } };
      });

    return {
      cameras: [],
      frames: {},
      loaded: false,
      loadError: null,
      connection: 'connecting',
      visible: true,
      now: clock(),

      async refresh() {
        try {
          const cameras = await api.call('cameras.list');
          const frames: Record<number, LatestFrame> = {};
          for (const camera of cameras) {
            const latest = camera.latest_image;
            if (latest)
              frames[camera.id] = { image_id: latest.id, captured_at: latest.captured_at };
          }
          set({
            cameras: [...cameras].sort((a, b) => a.id - b.id),
            frames,
            loaded: true,
            loadError: null,
            now: clock(),
          });
        } catch (error) {
          set({ loadError: errorMessage(error) });
        }
      },

      async refreshCamera(cameraId) {
        try {
          const camera = await api.call('cameras.get', { camera_id: cameraId });
          set((state) => {
            const exists = state.cameras.some((c) => c.id === cameraId);
            const cameras = exists
              ? state.cameras.map((c) => (c.id === cameraId ? camera : c))
              : [...state.cameras, camera].sort((a, b) => a.id - b.id);
            return { cameras };
          });
          if (camera.latest_image)
            showFrame(cameraId, {
              image_id: camera.latest_image.id,
              captured_at: camera.latest_image.captured_at,
            });
        } catch (error) {
          // A camera that is gone leaves the wall; anything else keeps what we have.
          if ((error as { statusCode?: number }).statusCode === 404) {
            set((state) => {
              const frames = { ...state.frames };
              delete frames[cameraId];
              return { cameras: state.cameras.filter((c) => c.id !== cameraId), frames };
            });
          }
        }
      },

      handleEvent(event) {
        switch (event.type) {
          case 'thumbnails_ready':
            showFrame(event.camera_id, {
              image_id: event.image_id,
              captured_at: event.captured_at,
            });
            // The capture may have happened in another process (a CLI import): its frame still dates the camera.
            patchCamera(event.camera_id, (camera) => ({
              last_capture_at: latest(camera.last_capture_at, event.captured_at),
            }));
            return;
          case 'frame_captured': {
            const camera = get().cameras.find((c) => c.id === event.camera_id);
            if (!camera) {
              void get().refreshCamera(event.camera_id);
              return;
            }
            patchCamera(event.camera_id, () => ({
              last_capture_at: event.captured_at,
              last_error: null,
              rejections_since_last_frame: 0,
            }));
            // Without thumbnails no "ready" event follows: show the frame itself (the fallback serves the full).
            if (!camera.generate_thumbnails)
              showFrame(event.camera_id, {
                image_id: event.image_id,
                captured_at: event.captured_at,
              });
            return;
          }
          case 'capture_failed':
            patchCamera(event.camera_id, () => ({ last_error: event.error }));
            return;
          case 'frame_rejected':
            patchCamera(event.camera_id, () => ({
              rejected_frames: event.rejected_total,
              rejections_since_last_frame: event.since_last_frame,
              last_error: `frame rejected (${event.reason}): ${event.message}`,
            }));
            return;
          case 'camera_changed':
            void get().refreshCamera(event.camera_id);
            return;
          default:
            return;
        }
      },

      setConnection(connection) {
        set({ connection });
      },

      setVisible(visible) {
        set({ visible, now: clock() });
      },

      tick(now = clock()) {
        set({ now });
      },
    };
  });
}

function latest(a: string | null, b: string): string {
  return a !== null && Date.parse(a) >= Date.parse(b) ? a : b;
}

export type TileHealth = 'live' | 'stale' | 'disabled' | 'failing' | 'offline';

/**
 * What a tile's badge says. Stale: nothing for twice the capture interval.
 * Offline: the event stream is down, so whatever we show may be old.
 */
export function tileHealth(
  camera: CameraDto,
  connection: ConnectionState,
  now: number,
): TileHealth {
  if (!camera.enabled) return 'disabled';
  if (camera.last_error || camera.capture?.state === 'backoff') return 'failing';
  if (connection === 'down') return 'offline';
  const last = camera.last_capture_at ? Date.parse(camera.last_capture_at) : NaN;
  if (Number.isNaN(last) || now - last > 2 * camera.capture_interval_s * 1000) return 'stale';
  return 'live';
}

/** Why a tile is not live, in words; null when there is nothing to say. */
export function tileProblem(camera: CameraDto, health: TileHealth): string | null {
  if (health === 'disabled') {
    return camera.last_error
      ? `Capture is disabled · last error: ${camera.last_error}`
      : 'Capture is disabled for this camera';
  }
  if (health === 'failing') {
    const error = camera.capture?.last_error ?? camera.last_error ?? 'Capture is failing';
    const refused = refusalsSinceFrame(camera.rejections_since_last_frame);
    const retry = camera.capture?.next_attempt_at;
    const problem = refused ? `${refused} · ${error}` : error;
    return retry ? `${problem} · retrying at ${formatTime(retry)}` : problem;
  }
  if (camera.capture?.state === 'no_active_timelapse')
    return 'No active timelapse: start one to capture';
  return null;
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAge(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}
