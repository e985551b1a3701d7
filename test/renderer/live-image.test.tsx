// @vitest-environment jsdom
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  liveImageReducer,
  initialLiveImageState,
} from '../../src/renderer/src/wall/live-image-state';
import { LiveImage } from '../../src/renderer/src/wall/LiveImage';
import { flushBatch } from '../../src/renderer/src/app/batch';
import { FALLBACK_CHAIN, type ImageVariant } from '../../src/shared/contract';

afterEach(cleanup);

/** A frame finished loading; the swap comes with the UI's next batch, run here at once. */
function loaded(image: HTMLImageElement) {
  fireEvent.load(image);
  act(() => flushBatch());
}

const chainFor = (id: number, preferred: ImageVariant = 'thumbnail') =>
  FALLBACK_CHAIN[preferred].map((variant) => ({
    variant,
    url: `http://x/images/${id}/${variant}`,
  }));

function view(id: number | null, paused = false) {
  return (
    <LiveImage
      frameKey={id === null ? null : String(id)}
      chain={id === null ? [] : chainFor(id)}
      alt="Cam 1"
      paused={paused}
    />
  );
}

const front = (container: HTMLElement) =>
  container.querySelector<HTMLImageElement>('img.live-image-front');
const back = (container: HTMLElement) =>
  container.querySelector<HTMLImageElement>('img.live-image-back');
const shown = (container: HTMLElement) =>
  container.querySelector<HTMLElement>('.live-image')!.dataset.variant;

describe('fallback chain', () => {
  it('orders variants: the preferred one, then larger, then smaller', () => {
    expect(FALLBACK_CHAIN.thumbnail).toEqual(['thumbnail', 'small', 'full']);
    expect(FALLBACK_CHAIN.small).toEqual(['small', 'full', 'thumbnail']);
    expect(FALLBACK_CHAIN.full).toEqual(['full', 'small', 'thumbnail']);
  });

  it('falls from thumbnail to small to full to the placeholder as each fails to load', () => {
    const { container, getByRole } = render(view(7));
    expect(front(container)!.src).toBe('http://x/images/7/thumbnail');
    expect(front(container)!.alt).toBe('Cam 1');
    fireEvent.error(front(container)!);
    expect(front(container)!.src).toBe('http://x/images/7/small');
    expect(shown(container)).toBe('small');
    fireEvent.error(front(container)!);
    expect(front(container)!.src).toBe('http://x/images/7/full');
    fireEvent.error(front(container)!);
    expect(front(container)).toBeNull();
    expect(shown(container)).toBe('placeholder');
    expect(getByRole('img', { name: 'Cam 1: no image available' }).textContent).toContain(
      'No image',
    );
  });

  it('is never blank: a camera without any frame shows the placeholder', () => {
    const { container } = render(view(null));
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.live-image-placeholder')).not.toBeNull();
  });
});

describe('live updates', () => {
  it('loads the next frame off-screen and swaps it in only once it has loaded', () => {
    const { container, rerender } = render(view(1));
    loaded(front(container)!);
    rerender(view(2));
    expect(front(container)!.src).toBe('http://x/images/1/thumbnail');
    expect(back(container)!.src).toBe('http://x/images/2/thumbnail');
    expect(back(container)!.getAttribute('aria-hidden')).toBe('true');
    const loadedElement = back(container)!;
    loaded(loadedElement);
    expect(front(container)).toBe(loadedElement); // the very element that loaded: no reload, no flicker
    expect(front(container)!.alt).toBe('Cam 1');
    expect(back(container)).toBeNull();
    expect(container.querySelectorAll('img')).toHaveLength(1);
  });

  it('never requests the next frame before the last one loaded, and skips to the newest', () => {
    const { container, rerender } = render(view(1));
    rerender(view(2));
    rerender(view(3));
    rerender(view(4));
    expect(container.querySelectorAll('img')).toHaveLength(2);
    expect(back(container)!.src).toBe('http://x/images/2/thumbnail');
    loaded(back(container)!);
    expect(front(container)!.src).toBe('http://x/images/2/thumbnail');
    expect(back(container)!.src).toBe('http://x/images/4/thumbnail'); // 3 was superseded, never fetched
    loaded(back(container)!);
    expect(front(container)!.src).toBe('http://x/images/4/thumbnail');
    expect(back(container)).toBeNull();
  });

  it('walks the fallback chain off-screen too, keeping the old picture up meanwhile', () => {
    const { container, rerender } = render(view(1));
    rerender(view(2));
    fireEvent.error(back(container)!);
    expect(back(container)!.src).toBe('http://x/images/2/small');
    expect(front(container)!.src).toBe('http://x/images/1/thumbnail');
    loaded(back(container)!);
    expect(front(container)!.src).toBe('http://x/images/2/small');
  });

  it('shows the placeholder when every variant of the new frame fails', () => {
    const { container, rerender } = render(view(1));
    rerender(view(2));
    fireEvent.error(back(container)!);
    fireEvent.error(back(container)!);
    fireEvent.error(back(container)!);
    expect(shown(container)).toBe('placeholder');
    expect(container.querySelectorAll('img')).toHaveLength(0);
  });

  it('while hidden loads nothing, and catches up with the newest frame at once when shown', () => {
    const { container, rerender } = render(view(1));
    rerender(view(1, true));
    rerender(view(2, true));
    rerender(view(3, true));
    expect(back(container)).toBeNull();
    rerender(view(3, false));
    expect(back(container)!.src).toBe('http://x/images/3/thumbnail');
  });
});

describe('liveImageReducer', () => {
  it('ignores a frame it already has and stray events of layers it no longer holds', () => {
    const chain = chainFor(1);
    const one = liveImageReducer(initialLiveImageState, { type: 'frame', key: '1', chain });
    expect(liveImageReducer(one, { type: 'frame', key: '1', chain })).toBe(one);
    expect(liveImageReducer(one, { type: 'back_load', key: '9' })).toBe(one);
    expect(liveImageReducer(one, { type: 'front_error', key: '9' })).toBe(one);
  });
});
