// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from '../../src/renderer/src/app/router';
import {
  paginate,
  parseKioskOptions,
  selectCameras,
  tilesPerPage,
} from '../../src/renderer/src/kiosk/kiosk-options';
import { cameraDto } from './fake-transport';

const at = (pathname: string, search = '', hash = '') => ({ pathname, search, hash });

describe('router', () => {
  it('reads hash routes inside the app and path routes in a browser', () => {
    expect(parseRoute(at('/C:/app/out/renderer/index.html', '', '#/kiosk'), 'hash').name).toBe(
      'kiosk',
    );
    expect(parseRoute(at('/index.html', '', ''), 'hash').name).toBe('');
    const browser = parseRoute(at('/kiosk', '?cameras=1,3&cycle=10'), 'path');
    expect(browser.name).toBe('kiosk');
    expect(browser.query.get('cameras')).toBe('1,3');
    expect(parseRoute(at('/'), 'path').name).toBe('');
  });

  it('honours a hash route in a browser too', () => {
    const route = parseRoute(at('/', '', '#/kiosk?cycle=5'), 'path');
    expect(route.name).toBe('kiosk');
    expect(route.query.get('cycle')).toBe('5');
  });

  it('writes routes one segment deep with details in the query', () => {
    expect(formatRoute('timelapse', { id: 5 }, 'path')).toBe('/timelapse?id=5');
    expect(formatRoute('timelapse', { id: 5 }, 'hash')).toBe('#/timelapse?id=5');
    expect(formatRoute('', {}, 'path')).toBe('/');
  });
});

describe('kiosk deep links', () => {
  it('reads cameras, group, cycle and per_page, dropping what is not a positive number', () => {
    expect(
      parseKioskOptions(new URLSearchParams('cameras=3,1,x,3&cycle=15&per_page=4&group=Outside')),
    ).toEqual({
      cameraIds: [3, 1],
      group: 'Outside',
      cycleSeconds: 15,
      cycleAsked: true,
      perPage: 4,
    });
    expect(parseKioskOptions(new URLSearchParams(''))).toEqual({
      cameraIds: null,
      group: null,
      cycleSeconds: 10,
      cycleAsked: false,
      perPage: null,
    });
    expect(parseKioskOptions(new URLSearchParams('cycle=0&cameras=')).cycleSeconds).toBe(10);
    expect(parseKioskOptions(new URLSearchParams('cycle=1')).cycleSeconds).toBe(2);
  });

  it('shows the chosen cameras in the chosen order, and says which ids and groups do not exist', () => {
    const cameras = [
      cameraDto(1, { group: 'Outside' }),
      cameraDto(2),
      cameraDto(3, { group: 'Outside' }),
    ];
    const chosen = selectCameras(cameras, { cameraIds: [3, 9, 1], group: null });
    expect(chosen.cameras.map((c) => c.id)).toEqual([3, 1]);
    expect(chosen.problems).toEqual(['Camera 9 not found.']);
    expect(
      selectCameras(cameras, { cameraIds: null, group: null }).cameras.map((c) => c.id),
    ).toEqual([1, 2, 3]);
    expect(
      selectCameras(cameras, { cameraIds: null, group: 'Outside' }).cameras.map((c) => c.id),
    ).toEqual([1, 3]);
    expect(selectCameras(cameras, { cameraIds: null, group: 'Attic' })).toEqual({
      cameras: [],
      problems: ['No camera is in group “Attic”. Groups: Outside.'],
    });
  });

  it('cycles one camera (or per_page) at a time when a cycle is asked for, even if all would fit', () => {
    const asked = parseKioskOptions(new URLSearchParams('cycle=5'));
    expect(tilesPerPage(asked, 4, 9)).toBe(1);
    expect(tilesPerPage(parseKioskOptions(new URLSearchParams('cycle=5&per_page=2')), 4, 9)).toBe(
      2,
    );
    expect(tilesPerPage(parseKioskOptions(new URLSearchParams('')), 4, 9)).toBe(9);
    expect(tilesPerPage(asked, 12, 9)).toBe(9);
  });

  it('splits cameras into pages', () => {
    expect(paginate([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(paginate([], 4)).toEqual([]);
  });
});
