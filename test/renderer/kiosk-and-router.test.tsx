// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from '../../src/renderer/src/app/router';
import { paginate, parseKioskOptions, selectCameras } from '../../src/renderer/src/kiosk/kiosk-options';
import { cameraDto } from './fake-transport';

const at = (pathname: string, search = '', hash = '') => ({ pathname, search, hash });

describe('router', () => {
  it('reads hash routes inside the app and path routes in a browser', () => {
    expect(parseRoute(at('/C:/app/out/renderer/index.html', '', '#/kiosk'), 'hash').name).toBe('kiosk');
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
  it('reads cameras, cycle and per_page, dropping what is not a positive number', () => {
    expect(parseKioskOptions(new URLSearchParams('cameras=3,1,x,3&cycle=15&per_page=4'))).toEqual({
      cameraIds: [3, 1],
      cycleSeconds: 15,
      perPage: 4,
    });
    expect(parseKioskOptions(new URLSearchParams(''))).toEqual({ cameraIds: null, cycleSeconds: 10, perPage: null });
    expect(parseKioskOptions(new URLSearchParams('cycle=0&cameras=')).cycleSeconds).toBe(10);
    expect(parseKioskOptions(new URLSearchParams('cycle=1')).cycleSeconds).toBe(2);
  });

  it('shows the chosen cameras in the chosen order, skipping unknown ids', () => {
    const cameras = [cameraDto(1), cameraDto(2), cameraDto(3)];
    expect(selectCameras(cameras, [3, 9, 1]).map((c) => c.id)).toEqual([3, 1]);
    expect(selectCameras(cameras, null).map((c) => c.id)).toEqual([1, 2, 3]);
  });

  it('splits cameras into pages', () => {
    expect(paginate([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(paginate([], 4)).toEqual([]);
  });
});
