import { useEffect, useRef, useState } from 'react';
import { ConnectionBadge } from '../app/ConnectionBadge';
import { useWall } from '../app/services';
import { useElementSize } from '../app/use-element-size';
import { CameraWall } from '../wall/CameraWall';
import { pageCapacity } from '../wall/grid-layout';
import {
  KIOSK_MIN_TILE_WIDTH,
  paginate,
  parseKioskOptions,
  selectCameras,
  tilesPerPage,
} from './kiosk-options';
import { useIdleCursor } from './use-idle-cursor';

/** The wall alone, for a screen on the wall: no chrome, pages that rotate, a cursor that hides. */
export function KioskPage({ query }: { query: URLSearchParams }) {
  const options = parseKioskOptions(query);
  const cameras = useWall((state) => state.cameras);
  const visible = useWall((state) => state.visible);
  const loaded = useWall((state) => state.loaded);
  const rootRef = useRef<HTMLDivElement>(null);
  const size = useElementSize(rootRef);
  const idle = useIdleCursor(rootRef);
  const [solo, setSolo] = useState<number | null>(null);
  const [page, setPage] = useState(0);

  const { cameras: shown, problems } = selectCameras(cameras, options);
  const readable = pageCapacity(shown.length, size.width, size.height, KIOSK_MIN_TILE_WIDTH);
  const perPage = tilesPerPage(options, shown.length, readable);
  const pages = paginate(shown, perPage);
  const pageCount = pages.length;
  const current = pages[page % Math.max(pageCount, 1)] ?? [];

  useEffect(() => {
    if (pageCount < 2 || !visible || solo !== null) return;
    const timer = setInterval(
      () => setPage((p) => (p + 1) % pageCount),
      options.cycleSeconds * 1000,
    );
    return () => clearInterval(timer);
  }, [pageCount, visible, solo, options.cycleSeconds]);

  useEffect(() => {
    if (solo === null) return;
    const close = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setSolo(null);
    };
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [solo]);

  const soloCamera = solo === null ? undefined : shown.find((camera) => camera.id === solo);
  return (
    <div
      ref={rootRef}
      className={`kiosk${idle ? ' kiosk-idle' : ''}`}
      onClick={requestFullscreenOnce}
      data-page={page % Math.max(pageCount, 1)}
      data-pages={pageCount}
    >
      {loaded && (problems.length > 0 || shown.length === 0) && (
        <div
          className={shown.length === 0 ? 'kiosk-message' : 'kiosk-message kiosk-message-banner'}
          role="alert"
        >
          {problems.map((problem) => (
            <p key={problem}>{problem}</p>
          ))}
          {shown.length === 0 && problems.length === 0 && <p>No cameras to show</p>}
        </div>
      )}
      {soloCamera ? (
        <CameraWall
          cameras={[soloCamera]}
          onOpen={() => setSolo(null)}
          gap={0}
          label={soloCamera.name}
        />
      ) : (
        <CameraWall cameras={current} onOpen={setSolo} gap={4} label="Kiosk wall" />
      )}
      {pageCount > 1 && !soloCamera && (
        <div className="kiosk-pages" aria-label={`Page ${(page % pageCount) + 1} of ${pageCount}`}>
          {pages.map((_, index) => (
            <span key={index} className={index === page % pageCount ? 'dot dot-current' : 'dot'} />
          ))}
        </div>
      )}
      <div className="kiosk-status">
        <ConnectionBadge />
      </div>
    </div>
  );
}

/** Browsers allow fullscreen only from a user gesture: the first click asks for it. */
function requestFullscreenOnce() {
  if (document.fullscreenElement || !document.documentElement.requestFullscreen) return;
  document.documentElement.requestFullscreen().catch(() => {
    // Refused (an iframe, a policy): the kiosk works windowed too.
  });
}
