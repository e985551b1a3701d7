import type { ImageVariant } from '../../../shared/contract';

/**
 * The state machine behind a live tile picture. Two layers, as a double buffer:
 * the front is shown, the back loads the next frame off-screen and becomes the
 * front only once it has loaded, so a tile never flickers or goes blank. A
 * variant that fails to load falls to the next in the chain; past the last one
 * the layer is the placeholder. At most one frame loads at a time: frames that
 * arrive meanwhile replace one queued frame (only the newest matters).
 */
export interface ImageSource {
  variant: ImageVariant;
  url: string;
}

export interface Layer {
  /** Identifies the frame (its image id): the same frame is never loaded twice. */
  key: string;
  chain: readonly ImageSource[];
  /** Position in the chain; `chain.length` means every variant failed: the placeholder. */
  index: number;
}

export interface LiveImageState {
  front: Layer | null;
  back: Layer | null;
  queued: Layer | null;
  /** A hidden window loads nothing; it catches up with the newest frame on resume. */
  paused: boolean;
}

export type LiveImageAction =
  | { type: 'frame'; key: string; chain: readonly ImageSource[] }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'front_error'; key: string }
  | { type: 'back_load'; key: string }
  | { type: 'back_error'; key: string };

export const initialLiveImageState: LiveImageState = {
  front: null,
  back: null,
  queued: null,
  paused: false,
};

export function isPlaceholder(layer: Layer): boolean {
  return layer.index >= layer.chain.length;
}

export function currentSource(layer: Layer): ImageSource | null {
  return layer.chain[layer.index] ?? null;
}

function advance(layer: Layer): Layer {
  return { ...layer, index: Math.min(layer.index + 1, layer.chain.length) };
}

/** The back layer is done (loaded or failed through): it becomes the front, the queue moves up. */
function promoteBack(state: LiveImageState, back: Layer): LiveImageState {
  if (state.paused) return { ...state, front: back, back: null };
  return { ...state, front: back, back: state.queued, queued: null };
}

export function liveImageReducer(state: LiveImageState, action: LiveImageAction): LiveImageState {
  switch (action.type) {
    case 'frame': {
      const known = [state.front, state.back, state.queued].some(
        (layer) => layer?.key === action.key,
      );
      if (known) return state;
      const layer: Layer = { key: action.key, chain: action.chain, index: 0 };
      // Nothing shown yet: show it at once; the tile behind is never blank meanwhile.
      if (!state.front) return { ...state, front: layer };
      if (state.back || state.paused) return { ...state, queued: layer };
      return { ...state, back: layer };
    }
    case 'pause':
      return state.paused ? state : { ...state, paused: true };
    case 'resume': {
      if (!state.paused) return state;
      const resumed = { ...state, paused: false };
      if (resumed.back || !resumed.queued) return resumed;
      return { ...resumed, back: resumed.queued, queued: null };
    }
    case 'front_error':
      if (state.front?.key !== action.key) return state;
      return { ...state, front: advance(state.front) };
    case 'back_load':
      if (state.back?.key !== action.key) return state;
      return promoteBack(state, state.back);
    case 'back_error': {
      if (state.back?.key !== action.key) return state;
      const next = advance(state.back);
      // Every variant of the new frame failed: say so rather than keep an old picture as if live.
      return isPlaceholder(next) ? promoteBack(state, next) : { ...state, back: next };
    }
  }
}
