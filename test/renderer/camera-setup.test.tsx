// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  draftOf,
  NEW_CAMERA,
  sourceOf,
  testArgsOf,
} from '../../src/renderer/src/cameras/camera-form';
import {
  camerasInGroup,
  createWallStore,
  groupsOf,
  tileHealth,
  tileProblem,
  type GroupMemory,
} from '../../src/renderer/src/store/wall-store';
import { cameraDto, TestTransport } from './fake-transport';

describe('camera form', () => {
  it('turns a new http draft into the contract: only its type’s options, empty credentials dropped', () => {
    const draft = {
      ...NEW_CAMERA,
      name: ' Porch ',
      url: ' http://cam/snap.jpg ',
      username: 'admin',
      interval: '10',
      group: ' Outside ',
    };
    expect(checkDraft(draft)).toEqual({
      errors: {},
      input: {
        name: 'Porch',
        source_type: 'http',
        source_url: 'http://cam/snap.jpg',
        source_options: {
          username: 'admin',
          password: undefined,
          auth: 'auto',
          insecure_tls: undefined,
        },
        capture_interval_s: 10,
        generate_thumbnails: true,
        group: 'Outside',
        enabled: true,
      },
    });
    expect(sourceOf({ ...draft, source_type: 'rtsp', transport: 'udp' }).source_options).toEqual({
      username: 'admin',
      password: undefined,
      transport: 'udp',
    });
    expect(
      sourceOf({
        ...draft,
        source_type: 'folder',
        folder: '/srv/ftp/porch',
        after_ingest: 'delete',
      }),
    ).toEqual({
      source_type: 'folder',
      source_url: '/srv/ftp/porch',
      source_options: { after_ingest: 'delete' },
    });
    expect(sourceOf({ ...draft, source_type: 'demo' })).toEqual({
      source_type: 'demo',
      source_url: null,
      source_options: {},
    });
  });

  it('says what is missing before asking the core', () => {
    expect(checkDraft({ ...NEW_CAMERA, interval: '0' }).errors).toEqual({
      name: 'A camera needs a name',
      interval: 'Whole seconds from 1 to 86400',
      url: 'The camera’s snapshot URL',
    });
    expect(checkDraft({ ...NEW_CAMERA, name: 'X', source_type: 'folder' }).errors).toEqual({
      folder: 'The folder the camera uploads to',
    });
  });

  it('edits a camera with its masked password and the options it has no field for, which a type change drops', () => {
    const camera = cameraDto(4, {
      source_type: 'http',
      source_url: 'https://cam/snap.jpg',
      source_options: {
        username: 'admin',
        password: '********',
        auth: 'digest',
        insecure_tls: true,
        timeout_ms: 5000,
      },
      group: 'Outside',
    });
    const draft = draftOf(camera);
    expect(draft).toMatchObject({
      password: '********',
      auth: 'digest',
      insecure_tls: true,
      group: 'Outside',
    });
    expect(testArgsOf(draft, 4)).toEqual({
      camera_id: 4,
      preview: true,
      source_type: 'http',
      source_url: 'https://cam/snap.jpg',
      source_options: {
        timeout_ms: 5000,
        username: 'admin',
        password: '********',
        auth: 'digest',
        insecure_tls: true,
      },
    });
    expect(
      sourceOf({ ...draft, source_type: 'rtsp', url: 'rtsp://cam/1' }).source_options,
    ).not.toHaveProperty('timeout_ms');
  });
});

describe('arranging the wall', () => {
  const cameras = [
    cameraDto(1, { sort_order: 3, group: 'Outside' }),
    cameraDto(2, { sort_order: 1 }),
    cameraDto(3, { sort_order: 2, group: 'Inside' }),
  ];
  const transport = () =>
    new TestTransport()
      .handle('cameras.list', () => cameras)
      .handle('cameras.reorder', ({ camera_ids }) => camera_ids as never);

  it('shows cameras in the wall order, follows a reorder event, and saves moves', async () => {
    const t = transport();
    const store = createWallStore(t.api());
    await store.getState().refresh();
    const order = () => store.getState().cameras.map((c) => c.id);
    expect(order()).toEqual([2, 3, 1]);
    store.getState().handleEvent({ type: 'cameras_reordered', camera_ids: [1] });
    expect(order()).toEqual([1, 2, 3]);
    await store.getState().moveCamera(3, -1);
    expect(order()).toEqual([1, 3, 2]);
    await store.getState().placeCamera(2, 1);
    expect(order()).toEqual([2, 1, 3]);
    expect(t.callsOf('cameras.reorder')).toEqual([
      { camera_ids: [1, 3, 2] },
      { camera_ids: [2, 1, 3] },
    ]);
  });

  it('filters by group and remembers the choice', async () => {
    const saved: (string | null)[] = [];
    const memory: GroupMemory = { load: () => 'Inside', save: (group) => saved.push(group) };
    const store = createWallStore(transport().api(), Date.now, memory);
    await store.getState().refresh();
    expect(store.getState().group).toBe('Inside');
    expect(groupsOf(store.getState().cameras)).toEqual(['Inside', 'Outside']);
    expect(camerasInGroup(store.getState().cameras, 'Outside').map((c) => c.id)).toEqual([1]);
    store.getState().setGroup(null);
    expect(saved).toEqual([null]);
  });

  it('shows an imported camera as an archive, not as a failing or disabled one', () => {
    const archive = cameraDto(9, {
      source_type: 'folder',
      source_url: null,
      source_options: { imported_from: '/mnt/old' },
      enabled: false,
      last_error: 'watch folder missing',
    });
    expect(tileHealth(archive, 'open', Date.now())).toBe('archive');
    expect(tileProblem(archive, 'archive')).toBeNull();
  });
});
