import { useEffect, useReducer, useState } from 'react';
import {
  currentSource,
  initialLiveImageState,
  isPlaceholder,
  liveImageReducer,
  type ImageSource,
  type Layer,
} from './live-image-state';

export interface LiveImageProps {
  /** Identifies the frame; a new key loads off-screen, then swaps in. */
  frameKey: string | null;
  chain: readonly ImageSource[];
  alt: string;
  /** Hidden window: load nothing new until visible again. */
  paused?: boolean;
}

/** A picture that follows the fallback chain and swaps new frames in without flicker. */
export function LiveImage({ frameKey, chain, alt, paused = false }: LiveImageProps) {
  // The first frame is the front from the first render: no empty flash before it.
  const [state, dispatch] = useReducer(
    liveImageReducer,
    { frameKey, chain },
    ({ frameKey: key, chain: first }) =>
      key === null
        ? initialLiveImageState
        : liveImageReducer(initialLiveImageState, { type: 'frame', key, chain: first }),
  );

  useEffect(() => {
    dispatch({ type: paused ? 'pause' : 'resume' });
  }, [paused]);

  useEffect(() => {
    // The chain belongs to the frame; a new frame always comes with a new key.
    if (frameKey !== null) dispatch({ type: 'frame', key: frameKey, chain });
  }, [frameKey]); // eslint-disable-line react-hooks/exhaustive-deps

  // Which layer (frame and variant) has drawn: until the front has, a slow link shows a loading state, not black.
  const [drawn, setDrawn] = useState<string | null>(null);
  const { front, back } = state;
  const variant = !front || isPlaceholder(front) ? 'placeholder' : currentSource(front)?.variant;
  const loading = front !== null && !isPlaceholder(front) && drawn !== layerId(front);
  return (
    <div
      className="live-image"
      data-variant={variant}
      data-frame={front?.key ?? ''}
      data-loading={loading || undefined}
    >
      {loading && <Loading />}
      {!front || isPlaceholder(front) ? (
        <Placeholder alt={alt} />
      ) : (
        <LayerImage
          key={front.key}
          layer={front}
          alt={alt}
          role="front"
          onLoad={() => setDrawn(layerId(front))}
          onError={() => dispatch({ type: 'front_error', key: front.key })}
        />
      )}
      {back && !isPlaceholder(back) && (
        <LayerImage
          key={back.key}
          layer={back}
          alt=""
          role="back"
          onLoad={() => {
            setDrawn(layerId(back));
            dispatch({ type: 'back_load', key: back.key });
          }}
          onError={() => dispatch({ type: 'back_error', key: back.key })}
        />
      )}
    </div>
  );
}

const layerId = (layer: Layer) => `${layer.key}:${layer.index}`;

/** Behind the picture while it loads; the picture covers it as it draws. */
function Loading() {
  return (
    <div className="live-image-loading" aria-hidden="true">
      <span className="spinner" />
      <span>Loading…</span>
    </div>
  );
}

interface LayerImageProps {
  layer: Layer;
  alt: string;
  role: 'front' | 'back';
  onLoad?: () => void;
  onError: () => void;
}

function LayerImage({ layer, alt, role, onLoad, onError }: LayerImageProps) {
  const source = currentSource(layer)!;
  return (
    <img
      className={`live-image-layer live-image-${role}`}
      src={source.url}
      alt={alt}
      aria-hidden={role === 'back' ? true : undefined}
      data-variant={source.variant}
      decoding="async"
      draggable={false}
      onLoad={onLoad}
      onError={onError}
    />
  );
}

/** Drawn by the page itself, so it shows even when the server cannot be reached. */
function Placeholder({ alt }: { alt: string }) {
  return (
    <div className="live-image-placeholder" role="img" aria-label={`${alt}: no image available`}>
      <svg viewBox="0 0 24 24" aria-hidden="true" className="placeholder-icon">
        <path
          fill="currentColor"
          d="M4 6h3l2-2h6l2 2h3a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1zm8 3a4 4 0 1 0 0 8 4 4 0 0 0 0-8z"
        />
      </svg>
      <span>No image</span>
    </div>
  );
}
