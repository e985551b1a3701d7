import { describe, expect, it } from 'vitest';
import { createApi } from '../../src/main/api';
import { PASSWORD_MASK } from '../../src/main/catalogue/credentials';
import { useTestLibrary } from '../helpers/temp-library';

describe('camera credentials', () => {
  const lib = useTestLibrary();

  it('are masked in every answer and kept when an edit sends the mask back', async () => {
    const api = createApi(lib.core);
    const created = await api.call('cameras.create', {
      name: 'Gate',
      source_type: 'http',
      source_url: 'http://admin:s3cret@127.0.0.1:9/snap.jpg',
      source_options: { username: 'admin', password: 'hunter2' },
    });
    expect(created.source_url).toBe(`http://admin:${PASSWORD_MASK}@127.0.0.1:9/snap.jpg`);
    expect(created.source_options).toMatchObject({ username: 'admin', password: PASSWORD_MASK });
    expect(JSON.stringify(await api.call('cameras.list', {}))).not.toMatch(/s3cret|hunter2/);

    // The UI echoes the masked camera back with one change: the passwords stand.
    await api.call('cameras.update', {
      camera_id: created.id,
      source_url: created.source_url,
      source_options: created.source_options,
      capture_interval_s: 15,
    });
    const stored = lib.core.ops.cameras.getById(created.id)!;
    expect(stored.source_url).toBe('http://admin:s3cret@127.0.0.1:9/snap.jpg');
    expect(JSON.parse(stored.source_options)).toMatchObject({ password: 'hunter2' });
    expect(stored.capture_interval_s).toBe(15);

    // A new password replaces the old one.
    await api.call('cameras.update', { camera_id: created.id, source_url: 'http://admin:n3w@127.0.0.1:9/snap.jpg' });
    expect(lib.core.ops.cameras.getById(created.id)!.source_url).toBe('http://admin:n3w@127.0.0.1:9/snap.jpg');
  });
});
