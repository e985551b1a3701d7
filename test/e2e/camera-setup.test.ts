import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import type { CameraDto, TimelapseDto } from '../../src/shared/contract';
import { runCli } from '../adapters/cli/cli-helpers';
import { startSnapshotCamera, type SnapshotCamera } from '../helpers/snapshot-camera';
import { cameraLikeJpeg, makeTempDir } from '../helpers/temp-library';
import {
  artifactPath,
  buildApp,
  launchChromium,
  requireChromium,
  startServe,
  type Build,
  type Served,
} from './harness';

const VIEWER = { username: 'admin', password: 'Cam3ra!pass' };

// Functions given to evaluate run in Chromium; this file compiles with Node's types only.
declare function getComputedStyle(element: unknown): { readonly fontSize: string };
declare const window: { readonly innerHeight: number };

/**
 * Setting cameras up as a new user would, in Debian's headless Chromium
 * against `timelapser serve` on an empty library: add HTTP snapshot cameras
 * served on 127.0.0.1 (one behind digest authentication, one open) through
 * the form, test them, save them, watch their tiles go live, edit one,
 * arrange the wall, run timelapses, disable and delete a camera.
 */
describe('camera setup in the browser', () => {
  const dir = makeTempDir('timelapser-e2e-setup-');
  const dataRoot = join(dir.path, 'library');
  let build: Build;
  let served: Served;
  let browser: Browser;
  let camera: SnapshotCamera;
  let openCamera: SnapshotCamera;
  let page: Page;

  beforeAll(async () => {
    requireChromium();
    build = await buildApp();
    // An existing, empty library: no demo cameras, the wall's empty state.
    const core = await openCore({ dataRoot });
    core.settings.update({ thumbnail_worker_interval: 1 });
    await core.close();
    const frames = await Promise.all([1, 2, 3, 4].map((seed) => cameraLikeJpeg(1280, 720, seed)));
    let served_ = 0;
    camera = await startSnapshotCamera({
      frame: () => frames[served_++ % frames.length]!,
      auth: { scheme: 'digest', ...VIEWER },
      distinct: true,
    });
    // A second snapshot camera with no authentication, as on a trusted LAN.
    const garden = await cameraLikeJpeg(1024, 576, 7);
    openCamera = await startSnapshotCamera({ frame: () => garden, distinct: true });
    served = await startServe(build, dataRoot);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await camera?.close();
    await openCamera?.close();
    build?.remove();
    dir.remove();
  });

  const api = async <T>(path: string): Promise<T> => {
    const body = (await (await fetch(`${served.url}${path}`)).json()) as { data: T };
    return body.data;
  };
  const cameraNamed = async (name: string) =>
    (await api<CameraDto[]>('/api/cameras')).find((c) => c.name === name);
  const tile = (name: string) =>
    page.locator('.wall-cell', { has: page.locator('.tile-name', { hasText: name }) });

  it('adds a digest camera through the form: a wrong password says 401, Test shows the frame, Save makes a live tile', async () => {
    await page.goto(served.url);
    await page.getByText('No cameras yet').waitFor();
    await page.getByRole('button', { name: 'Add camera' }).click();
    const form = page.getByRole('dialog', { name: 'Add camera' });
    await form.getByLabel('Name').fill('Driveway');
    await form.getByLabel('Source').selectOption('http');
    await form.getByLabel('Snapshot URL').fill(camera.url);
    await form.getByLabel('User').fill(VIEWER.username);
    await form.getByLabel('Password').fill('guess');
    await form.getByRole('button', { name: 'Test', exact: true }).click();
    await expect
      .poll(() => form.getByRole('alert').textContent())
      .toContain('the camera refused the user name or password (HTTP 401, digest)');

    await form.getByLabel('Password').fill(VIEWER.password);
    await form.getByRole('button', { name: 'Test', exact: true }).click();
    await form.getByRole('status').getByText('Got a 1280×720 JPEG frame').waitFor();
    const preview = form.getByRole('img', { name: 'The frame the test grabbed' });
    await expect
      .poll(() =>
        preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(1280);
    expect(await api<CameraDto[]>('/api/cameras')).toEqual([]); // testing saved nothing
    await page.screenshot({ path: await artifactPath('setup-add-camera.png') });

    await form.getByLabel('Capture every (seconds)').fill('2');
    await form.getByRole('button', { name: 'Add camera' }).click();
    await form.waitFor({ state: 'detached' });
    const saved = (await cameraNamed('Driveway'))!;
    expect(saved).toMatchObject({
      source_type: 'http',
      capture_interval_s: 2,
      source_options: { password: '********' },
    });
    expect(saved.active_timelapse_id).not.toBeNull();
    // The tile goes live with a frame captured through digest auth.
    await tile('Driveway')
      .locator('.tile[data-health="live"] img.live-image-front')
      .waitFor({ timeout: 30_000 });
    expect(
      camera.requests.some((r) => r.status === 200 && r.authorization?.startsWith('Digest ')),
    ).toBe(true);
  }, 90_000);

  it('edits the interval on the camera page without showing the password back', async () => {
    const driveway = (await cameraNamed('Driveway'))!;
    await tile('Driveway').getByRole('button', { name: 'Actions for Driveway' }).click();
    await page.getByRole('menuitem', { name: 'Open camera page' }).click();
    await page.waitForURL(/\/camera\?id=\d+$/);
    await page.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('dialog', { name: 'Edit Driveway' });
    expect(await form.getByLabel('Password').inputValue()).toBe('********');
    expect(await page.content()).not.toContain(VIEWER.password);
    await form.getByLabel('Capture every (seconds)').fill('5');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByText('every 5 s').waitFor();
    expect((await cameraNamed('Driveway'))!.capture_interval_s).toBe(5);
    // The stored password still works: capture goes on.
    const before = (await api<CameraDto>(`/api/cameras/${driveway.id}`)).latest_image!.id;
    await expect
      .poll(async () => (await api<CameraDto>(`/api/cameras/${driveway.id}`)).latest_image!.id, {
        timeout: 20_000,
      })
      .toBeGreaterThan(before);
  }, 60_000);

  it('adds an open HTTP camera, reorders the wall by keyboard and by drag, and filters it by group, remembering the choice', async () => {
    await page.goto(served.url);
    const add = async (name: string, fill: (form: Locator) => Promise<void>) => {
      await page.getByRole('button', { name: 'Add camera' }).click();
      const form = page.getByRole('dialog', { name: 'Add camera' });
      await form.getByLabel('Name').fill(name);
      await fill(form);
      await form.getByRole('button', { name: 'Add camera' }).click();
      await form.waitFor({ state: 'detached' });
    };
    // An HTTP camera without authentication: Test passes with no user or password.
    await add('Garden', async (form) => {
      await form.getByLabel('Source').selectOption('http');
      await form.getByLabel('Snapshot URL').fill(openCamera.url);
      await form.getByRole('button', { name: 'Test', exact: true }).click();
      await form.getByRole('status').getByText('Got a 1024×576 JPEG frame').waitFor();
    });
    await add('Roof', (form) =>
      form
        .getByLabel('Source')
        .selectOption('demo')
        .then(() => {}),
    );
    await tile('Garden')
      .locator('.tile[data-health="live"] img.live-image-front')
      .waitFor({ timeout: 30_000 });
    expect(openCamera.requests.every((r) => r.authorization === undefined)).toBe(true);
    const order = async () => (await api<CameraDto[]>('/api/cameras')).map((c) => c.name);
    const wallOrder = () => page.locator('.tile .tile-name').allTextContents();
    expect(await order()).toEqual(['Driveway', 'Garden', 'Roof']);

    await page.getByRole('button', { name: 'Arrange' }).click();
    const arrange = page.getByRole('dialog', { name: 'Arrange the wall' });
    await arrange.getByRole('button', { name: 'Move Roof up' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(order).toEqual(['Driveway', 'Roof', 'Garden']);
    // Focus stays on the moved camera's button: Enter again moves it on.
    await page.keyboard.press('Enter');
    await expect.poll(order).toEqual(['Roof', 'Driveway', 'Garden']);
    await arrange
      .locator('.arrange-row', { hasText: 'Garden' })
      .dragTo(arrange.locator('.arrange-row', { hasText: 'Roof' }));
    await expect.poll(order).toEqual(['Garden', 'Roof', 'Driveway']);
    await arrange.getByLabel('Group of Driveway').fill('Outside');
    await arrange.getByLabel('Group of Driveway').press('Enter');
    await arrange.getByLabel('Group of Garden').fill('Outside');
    await arrange.getByLabel('Group of Garden').press('Tab');
    await expect.poll(async () => (await cameraNamed('Garden'))?.group).toBe('Outside');
    await page.screenshot({ path: await artifactPath('setup-arrange.png') });
    await arrange.getByRole('button', { name: 'Done' }).click();
    await expect.poll(wallOrder).toEqual(['Garden', 'Roof', 'Driveway']);

    await page.getByRole('button', { name: 'Outside', pressed: false }).click();
    await expect.poll(wallOrder).toEqual(['Garden', 'Driveway']);
    await page.reload();
    await page.getByRole('button', { name: 'Outside', pressed: true }).waitFor();
    await expect.poll(wallOrder).toEqual(['Garden', 'Driveway']);
    await page.getByRole('button', { name: 'All cameras' }).click();
    await expect.poll(wallOrder).toEqual(['Garden', 'Roof', 'Driveway']);
  }, 90_000);

  it('stops, completes, renames and starts timelapses from the tile menu and the camera page', async () => {
    const driveway = (await cameraNamed('Driveway'))!;
    const timelapses = () => api<TimelapseDto[]>(`/api/timelapses?camera_id=${driveway.id}`);
    await tile('Driveway').getByRole('button', { name: 'Actions for Driveway' }).click();
    await page.getByRole('menuitem', { name: 'Stop timelapse' }).click();
    await expect.poll(async () => (await timelapses()).map((t) => t.status)).toEqual(['stopped']);
    await tile('Driveway').getByRole('button', { name: 'Actions for Driveway' }).click();
    await page.getByRole('menuitem', { name: 'Start timelapse' }).click();
    await expect
      .poll(async () => (await timelapses()).map((t) => t.status))
      .toEqual(['stopped', 'active']);

    await page.goto(`${served.url}/camera?id=${driveway.id}`);
    const section = page.getByRole('region', { name: 'Timelapses' });
    await section.getByRole('button', { name: 'Complete…' }).first().click();
    await page
      .getByRole('dialog', { name: 'Complete timelapse' })
      .getByRole('button', { name: 'Complete' })
      .click();
    await expect
      .poll(async () => (await timelapses()).map((t) => t.status))
      .toEqual(['stopped', 'completed']);
    await section.getByLabel('New timelapse name').fill('Spring');
    await section.getByRole('button', { name: 'Start timelapse' }).click();
    await section.getByText('Capturing into Spring').waitFor();
    await section.getByRole('button', { name: 'Rename Spring' }).click();
    await section.getByLabel('New name for Spring').fill('Spring 2026');
    await section.getByRole('button', { name: 'Save' }).click();
    await section.getByRole('link', { name: 'Spring 2026' }).waitFor();
    const rows = section.locator('.timelapse-row');
    expect(await rows.count()).toBe(3);
    // Newest first: each with its status, frame count, dates and size.
    expect(await rows.nth(1).textContent()).toMatch(
      /completed · \d+ frames? · .+ – .+ · [\d.]+ (B|KB|MB)$/,
    );
    expect(await rows.nth(2).textContent()).toMatch(
      /stopped · \d+ frames? · started .+ · [\d.]+ (KB|MB)$/,
    );
    await page.screenshot({ path: await artifactPath('setup-camera-page.png') });
  }, 90_000);

  it('disables the camera, then deletes it after a confirmation that says what goes', async () => {
    const driveway = (await cameraNamed('Driveway'))!;
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    expect((await cameraNamed('Driveway'))!.enabled).toBe(false);
    await page.goto(served.url);
    await tile('Driveway').locator('.tile[data-health="disabled"]').waitFor();

    await page.goto(`${served.url}/camera?id=${driveway.id}`);
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Driveway' });
    const frames = (await api<TimelapseDto[]>(`/api/timelapses?camera_id=${driveway.id}`)).reduce(
      (n, t) => n + t.image_count,
      0,
    );
    await expect
      .poll(() => dialog.textContent())
      .toMatch(
        new RegExp(
          `deletes 3 timelapses with ${frames} frames? and their thumbnails, freeing [\\d.]+ (KB|MB) of disk space`,
        ),
      );
    await dialog.getByRole('button', { name: 'Delete camera and frames' }).click();
    await page.waitForURL(`${served.url}/`);
    expect(await cameraNamed('Driveway')).toBeUndefined();
    expect(existsSync(join(dataRoot, 'cameras', `camera-${driveway.id}`))).toBe(false);
    await expect
      .poll(() => page.locator('.tile .tile-name').allTextContents())
      .toEqual(['Garden', 'Roof']);
  }, 60_000);

  it('shows an imported camera as a grey archive; the kiosk takes a group, cycles, reads from afar and states unknowns', async () => {
    const folder = join(dir.path, 'attic-2025');
    mkdirSync(folder);
    for (let i = 0; i < 2; i++)
      writeFileSync(join(folder, `frame-${i}.jpg`), await cameraLikeJpeg(800, 600, 10 + i));
    // The CLI of this test's own build, as serve is.
    const run = await runCli(
      ['--data', dataRoot, 'import', folder, '--camera', 'Attic'],
      {},
      join(build.dir, 'main', 'cli.js'),
    );
    expect(run.code, run.stderr).toBe(0);
    await page.reload();
    const attic = tile('Attic').locator('.tile');
    await attic.waitFor();
    expect(await attic.getAttribute('data-health')).toBe('archive');
    expect(await attic.locator('.badge').textContent()).toBe('Archive');
    expect(await attic.locator('.tile-problem').count()).toBe(0);

    await page.goto(`${served.url}/kiosk?group=Outside&cycle=2`);
    await page.locator('.tile').first().waitFor();
    expect(await page.locator('.kiosk').getAttribute('data-pages')).toBe('1');
    await page.goto(`${served.url}/kiosk?cycle=2`);
    await page.locator('.tile').first().waitFor();
    // Three cameras would fit on one screen; a cycle shows one at a time.
    expect(await page.locator('.tile').count()).toBe(1);
    expect(await page.locator('.kiosk').getAttribute('data-pages')).toBe('3');
    await page.locator('.kiosk[data-page="1"]').waitFor({ timeout: 6_000 });
    const caption = await page.locator('.tile-caption').evaluate((element) => ({
      size: Number.parseFloat(getComputedStyle(element).fontSize),
      screen: window.innerHeight,
    }));
    expect(caption.size / caption.screen).toBeGreaterThanOrEqual(0.025);

    await page.goto(`${served.url}/kiosk?group=Attic2&cameras=999`);
    await page
      .getByRole('alert')
      .getByText('No camera is in group “Attic2”. Groups: Outside.')
      .waitFor();
    await page.goto(`${served.url}/kiosk?cameras=999,${(await cameraNamed('Roof'))!.id}`);
    await page.getByRole('alert').getByText('Camera 999 not found.').waitFor();
    expect(await page.locator('.tile').count()).toBe(1);
  }, 90_000);
});
