import type { CameraDto } from '../../../shared/contract';

/** What a bookmarked kiosk URL asks for: `/kiosk?group=Outside&cycle=10&per_page=4`, `/kiosk?cameras=1,3`. */
export interface KioskOptions {
  /** Only these cameras, in this order; null for all. */
  cameraIds: number[] | null;
  /** Only this group's cameras; null for all. */
  group: string | null;
  /** Seconds each page stays up. */
  cycleSeconds: number;
  /** `cycle` was given: pages rotate even when every camera would fit on one. */
  cycleAsked: boolean;
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
  const ids =
    list === null
      ? null
      : list
          .split(',')
          .map(positiveInt)
          .filter((id): id is number => id !== null);
  const cycle = positiveInt(query.get('cycle'));
  return {
    cameraIds: ids && ids.length > 0 ? [...new Set(ids)] : null,
    group: query.get('group')?.trim() || null,
    cycleSeconds: cycle === null ? DEFAULT_CYCLE_SECONDS : Math.max(cycle, MIN_CYCLE_SECONDS),
    cycleAsked: cycle !== null,
    perPage: positiveInt(query.get('per_page')),
  };
}

export interface KioskSelection {
  cameras: CameraDto[];
  /** What the URL names that does not exist, in words for the screen. */
  problems: string[];
}

/** The cameras the URL asks for, and what it names that is not there. */
export function selectCameras(
  cameras: readonly CameraDto[],
  options: Pick<KioskOptions, 'cameraIds' | 'group'>,
): KioskSelection {
  const problems: string[] = [];
  let shown = [...cameras];
  if (options.group !== null) {
    shown = shown.filter((camera) => camera.group === options.group);
    if (shown.length === 0) {
      const groups = [...new Set(cameras.map((c) => c.group).filter(Boolean))].sort();
      problems.push(
        `No camera is in group “${options.group}”.${groups.length ? ` Groups: ${groups.join(', ')}.` : ' No camera has a group yet.'}`,
      );
    }
  }
  if (options.cameraIds) {
    const byId = new Map(shown.map((camera) => [camera.id, camera]));
    const missing = options.cameraIds.filter((id) => !byId.has(id));
    if (missing.length > 0)
      problems.push(
        `${missing.length === 1 ? 'Camera' : 'Cameras'} ${missing.join(', ')} not found${options.group ? ` in group “${options.group}”` : ''}.`,
      );
    shown = options.cameraIds
      .map((id) => byId.get(id))
      .filter((camera): camera is CameraDto => camera !== undefined);
  }
  return { cameras: shown, problems };
}

/**
 * Tiles per page: the URL's per_page; else one at a time when a cycle was
 * asked for and everything would fit; else as many as stay readable.
 */
export function tilesPerPage(options: KioskOptions, count: number, readable: number): number {
  if (options.perPage !== null) return options.perPage;
  if (options.cycleAsked && readable >= count) return 1;
  return readable;
}

export function paginate<T>(items: readonly T[], perPage: number): T[][] {
  const size = Math.max(1, perPage);
  const pages: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    pages.push(items.slice(start, start + size));
  return pages;
}
