import type { CameraDto } from '../../../shared/contract';

/** What a bookmarked kiosk URL asks for: `/kiosk?cameras=1,3&cycle=10&per_page=4`. */
export interface KioskOptions {
  /** Only these cameras, in this order; null for all. */
  cameraIds: number[] | null;
  /** Seconds each page stays up when the cameras need more than one page. */
  cycleSeconds: number;
  /** Tiles per page; null to fit as many as stay readable. */
  perPage: number | null;
}

export const DEFAULT_CYCLE_SECONDS = 10;
const MIN_CYCLE_SECONDS = 2;
/** Below this picture width a tile is not readable from across a room: start another page. */
export const KIOSK_MIN_TILE_WIDTH = 240;

function positiveInt(text: string | null): number | null {
  if (text === null || !/^\d{1,6}$/.test(text.trim())) return null;
  const value = Number(text);
  return value > 0 ? value : null;
}

export function parseKioskOptions(query: URLSearchParams): KioskOptions {
  const list = query.get('cameras');
  const ids = list === null ? null : list.split(',').map(positiveInt).filter((id): id is number => id !== null);
  const cycle = positiveInt(query.get('cycle'));
  return {
    cameraIds: ids && ids.length > 0 ? [...new Set(ids)] : null,
    cycleSeconds: cycle === null ? DEFAULT_CYCLE_SECONDS : Math.max(cycle, MIN_CYCLE_SECONDS),
    perPage: positiveInt(query.get('per_page')),
  };
}

export function selectCameras(cameras: readonly CameraDto[], ids: number[] | null): CameraDto[] {
  if (!ids) return [...cameras];
  const byId = new Map(cameras.map((camera) => [camera.id, camera]));
  return ids.map((id) => byId.get(id)).filter((camera): camera is CameraDto => camera !== undefined);
}

export function paginate<T>(items: readonly T[], perPage: number): T[][] {
  const size = Math.max(1, perPage);
  const pages: T[][] = [];
  for (let start = 0; start < items.length; start += size) pages.push(items.slice(start, start + size));
  return pages;
}
