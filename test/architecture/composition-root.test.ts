import { describe, expect, it } from 'vitest';
import { waitFor } from '../capture/support';
import { openTestLibrary } from '../helpers/temp-library';

describe('the composition root', () => {
  it('releases every event subscription on close', async () => {
    const library = await openTestLibrary({ poolSize: 1 });
    const { core } = library;
    core.ensureDemoCameras();
    core.start();
    // Capture follows cameras, the worker follows the queue, regeneration follows jobs.
    expect(core.events.listenerCount).toBeGreaterThan(0);
    await waitFor(
      () => core.ops.images.getThumbnailCoverageStatistics().total_images > 0,
      20_000,
      'a demo frame',
    );
    await core.thumbnails.startThumbnailRegeneration();
    await library.cleanup();
    expect(core.events.listenerCount).toBe(0);
  });
});
