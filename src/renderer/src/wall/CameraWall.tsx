import { useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { CameraDto, ImageVariant } from '../../../shared/contract';
import { useElementSize } from '../app/use-element-size';
import { CameraTile } from './CameraTile';
import { bestGrid, variantForWidth } from './grid-layout';

export interface CameraWallProps {
  cameras: readonly CameraDto[];
  onOpen(cameraId: number): void;
  gap?: number;
  label?: string;
  /** Drawn beside each tile (the wall page's tile menu; the kiosk has none). */
  renderMenu?(camera: CameraDto): ReactNode;
}

/** The step an arrow key takes through a grid of `cols` columns. */
export function arrowStep(key: string, cols: number): number {
  switch (key) {
    case 'ArrowLeft':
      return -1;
    case 'ArrowRight':
      return 1;
    case 'ArrowUp':
      return -cols;
    case 'ArrowDown':
      return cols;
    default:
      return 0;
  }
}

/** Every camera at once, in the N×M grid that gives each the largest picture, no scrolling. */
export function CameraWall({
  cameras,
  onOpen,
  gap = 6,
  label = 'Camera wall',
  renderMenu,
}: CameraWallProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const tileRefs = useRef(new Map<number, HTMLDivElement>());
  const size = useElementSize(containerRef);
  const layout = bestGrid(cameras.length, size.width, size.height, { gap });
  const variant: ImageVariant = variantForWidth(layout.tileWidth, window.devicePixelRatio || 1);
  const [focusIndex, setFocusIndex] = useState(0);
  const active = Math.min(focusIndex, Math.max(cameras.length - 1, 0));
  // Tiles get handlers that never change, so a new frame re-renders its own tile only.
  const latest = useRef({ cameras, cols: layout.cols });
  useLayoutEffect(() => {
    latest.current = { cameras, cols: layout.cols };
  });
  const move = useCallback((from: number, event: KeyboardEvent<HTMLDivElement>) => {
    const { cameras: shown, cols } = latest.current;
    let target = from + arrowStep(event.key, Math.max(cols, 1));
    if (event.key === 'Home') target = 0;
    if (event.key === 'End') target = shown.length - 1;
    if (target === from || target < 0 || target >= shown.length) return;
    event.preventDefault();
    setFocusIndex(target);
    tileRefs.current.get(shown[target]!.id)?.focus();
  }, []);
  const register = useCallback((cameraId: number, element: HTMLDivElement | null) => {
    if (element) tileRefs.current.set(cameraId, element);
    else tileRefs.current.delete(cameraId);
  }, []);

  return (
    <div
      ref={containerRef}
      className="wall"
      role="region"
      aria-label={`${label}: ${cameras.length} cameras, arrow keys move between them`}
      data-cols={layout.cols}
      data-rows={layout.rows}
      style={{
        gap,
        gridTemplateColumns: `repeat(${Math.max(layout.cols, 1)}, minmax(0, 1fr))`,
        gridTemplateRows: `repeat(${Math.max(layout.rows, 1)}, minmax(0, 1fr))`,
      }}
    >
      {cameras.map((camera, index) => (
        <div className="wall-cell" key={camera.id}>
          <CameraTile
            camera={camera}
            variant={variant}
            focusable={index === active}
            index={index}
            register={register}
            onOpen={onOpen}
            onKeyDown={move}
            onFocus={setFocusIndex}
          />
          {renderMenu?.(camera)}
        </div>
      ))}
    </div>
  );
}
