import { dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Api } from '../api';
import { errorResponse } from '../api';
import {
  describeCleanup,
  describeDeleteAll,
  describeOrphans,
  describeRegeneration,
  describeRepair,
  describeStorage,
  describeVerification,
  REGENERATION_MODES,
} from '../../shared/reports';

const LISTED_FILES = 12;

/** A report's lines as one dialog text. */
const text = (lines: readonly string[]) => lines.join('\n');

/** The app menu; Tools runs the five maintenance operations and shows each result in a dialog. */
export function buildAppMenu(api: Api, window: BrowserWindow): Menu {
  let busy = false;
  const info = (message: string, detail: string) =>
    dialog.showMessageBox(window, { type: 'info', title: 'Timelapser', message, detail });
  const run = (task: () => Promise<void>) => async () => {
    if (busy)
      return void info('Another maintenance operation is running.', 'Wait for it to finish.');
    busy = true;
    try {
      await task();
    } catch (error) {
      await dialog.showMessageBox(window, {
        type: 'error',
        title: 'Timelapser',
        message: errorResponse(error, api.log).error,
      });
    } finally {
      busy = false;
    }
  };

  const tools: MenuItemConstructorOptions[] = [
    {
      label: 'Verify All Thumbnails',
      click: run(
        async () =>
          void info(
            'Verification finished',
            text(describeVerification(await api.call('thumbnails.verifyAll'))),
          ),
      ),
    },
    {
      label: 'Repair Orphaned Thumbnails',
      click: run(
        async () =>
          void info('Repair finished', text(describeRepair(await api.call('thumbnails.repair')))),
      ),
    },
    { label: 'Cleanup Orphaned Files…', click: run(() => cleanupWithPreview(api, window, info)) },
    { type: 'separator' },
    {
      label: 'Regenerate Thumbnails',
      // The settings page's two actions, in its words: missing only first, as there.
      submenu: (['missing', 'everything'] as const).map((mode) => ({
        label: REGENERATION_MODES[mode].label,
        toolTip: REGENERATION_MODES[mode].help,
        click: run(async () => {
          const status = await api.call('thumbnails.regenerateAll', {
            force_regenerate: REGENERATION_MODES[mode].force_regenerate,
          });
          await info('Regeneration started', describeRegeneration(status));
        }),
      })),
    },
    {
      label: 'Scan Library (orphans, disk use)',
      click: run(async () => {
        const stats = await api.call('thumbnails.scan');
        await info(
          'Library scanned',
          text([describeOrphans(stats), describeStorage(stats.storage)]),
        );
      }),
    },
    {
      label: 'Delete All Thumbnails…',
      click: run(async () => {
        const { response } = await dialog.showMessageBox(window, {
          type: 'warning',
          title: 'Delete All Thumbnails',
          message: 'Delete every thumbnail and small image?',
          detail: 'Frames are kept; thumbnails can be regenerated later. This cannot be undone.',
          buttons: ['Delete All', 'Cancel'],
          defaultId: 1,
          cancelId: 1,
        });
        if (response !== 0) return;
        await info(
          'Thumbnails deleted',
          text(describeDeleteAll(await api.call('thumbnails.deleteAll', { confirm: true }))),
        );
      }),
    },
  ];

  return Menu.buildFromTemplate([
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { label: 'Tools', submenu: tools },
    { role: 'windowMenu' },
  ]);
}

/** Dry run first; delete only after the user saw the list and confirmed (forcing past the safety threshold is a second, explicit choice). */
async function cleanupWithPreview(
  api: Api,
  window: BrowserWindow,
  info: (message: string, detail: string) => Promise<unknown>,
): Promise<void> {
  const preview = await api.call('thumbnails.cleanup', { dry_run: true });
  if (preview.orphaned_files_found === 0)
    return void (await info('No orphaned files', 'Nothing to clean up.'));
  const listed = preview.files.slice(0, LISTED_FILES).join('\n');
  const more = preview.orphaned_files_found - Math.min(LISTED_FILES, preview.files.length);
  const { response, checkboxChecked } = await dialog.showMessageBox(window, {
    type: preview.exceeds_safety_threshold ? 'warning' : 'question',
    title: 'Cleanup Orphaned Files',
    message: text(describeCleanup(preview)),
    detail: listed + (more > 0 ? `\n…and ${more} more` : ''),
    buttons: ['Delete', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    ...(preview.exceeds_safety_threshold
      ? { checkboxLabel: 'Delete anyway (above the safety threshold)' }
      : {}),
  });
  if (response !== 0) return;
  const result = await api.call('thumbnails.cleanup', { dry_run: false, force: checkboxChecked });
  await info('Cleanup finished', text(describeCleanup(result)));
}
