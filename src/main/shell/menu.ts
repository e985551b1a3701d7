import { dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Api } from '../api';
import { errorResponse } from '../api';
import {
  describeCleanup,
  describeDeleteAll,
  describeMissingOriginals,
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
      label: 'Repair Orphaned Thumbnails…',
      click: run(() => repairWithPreview(api, window, info)),
    },
    { label: 'Cleanup Orphaned Files…', click: run(() => cleanupWithPreview(api, window, info)) },
    {
      label: 'Remove Missing Originals…',
      click: run(() => removeMissingWithPreview(api, window, info)),
    },
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

type Info = (message: string, detail: string) => Promise<unknown>;

/** The first files of a preview's list, and how many more there are. */
function listing(files: readonly string[], total: number): string {
  const more = total - Math.min(LISTED_FILES, files.length);
  return files.slice(0, LISTED_FILES).join('\n') + (more > 0 ? `\n…and ${more} more` : '');
}

/**
 * A deletion previewed by a dry run: the user sees how many files go (and the
 * first of them) and confirms; above the safety threshold forcing is a
 * second, explicit choice. Answers the real run's arguments, or null (cancelled).
 */
async function confirmDeletion(
  window: BrowserWindow,
  title: string,
  summary: readonly string[],
  files: readonly string[],
  total: number,
  exceeds: boolean,
  button: string,
): Promise<{ dry_run: false; force: boolean } | null> {
  const { response, checkboxChecked } = await dialog.showMessageBox(window, {
    type: exceeds ? 'warning' : 'question',
    title,
    message: text(summary),
    detail: listing(files, total),
    buttons: [button, 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    ...(exceeds ? { checkboxLabel: 'Delete anyway (above the safety threshold)' } : {}),
  });
  return response === 0 ? { dry_run: false, force: checkboxChecked } : null;
}

/** Repair deletes the files that match no image: the menu says how many first and asks. */
async function repairWithPreview(api: Api, window: BrowserWindow, info: Info): Promise<void> {
  const preview = await api.call('thumbnails.repair', { dry_run: true });
  if (preview.orphaned_files_found === 0)
    return void (await info('No orphaned files', 'Nothing to repair.'));
  let args: { dry_run: false; force: boolean } | null = { dry_run: false, force: false };
  if (preview.files_unmatched > 0) {
    args = await confirmDeletion(
      window,
      'Repair Orphaned Thumbnails',
      describeRepair(preview),
      preview.files,
      preview.files_unmatched,
      preview.exceeds_safety_threshold,
      `Repair and delete ${preview.files_unmatched}`,
    );
    if (!args) return;
  }
  await info('Repair finished', text(describeRepair(await api.call('thumbnails.repair', args))));
}

/** Dead records go only after the user saw them listed and confirmed. */
async function removeMissingWithPreview(
  api: Api,
  window: BrowserWindow,
  info: Info,
): Promise<void> {
  const preview = await api.call('frames.removeMissing', { dry_run: true });
  if (preview.missing_originals === 0)
    return void (await info('No missing originals', text(describeMissingOriginals(preview))));
  const args = await confirmDeletion(
    window,
    'Remove Missing Originals',
    describeMissingOriginals(preview),
    preview.files,
    preview.missing_originals,
    preview.exceeds_safety_threshold,
    `Remove ${preview.missing_originals} records`,
  );
  if (!args) return;
  await info(
    'Missing originals removed',
    text(describeMissingOriginals(await api.call('frames.removeMissing', args))),
  );
}

/** Dry run first; delete only after the user saw the list and confirmed (forcing past the safety threshold is a second, explicit choice). */
async function cleanupWithPreview(api: Api, window: BrowserWindow, info: Info): Promise<void> {
  const preview = await api.call('thumbnails.cleanup', { dry_run: true });
  if (preview.orphaned_files_found === 0)
    return void (await info('No orphaned files', 'Nothing to clean up.'));
  const args = await confirmDeletion(
    window,
    'Cleanup Orphaned Files',
    describeCleanup(preview),
    preview.files,
    preview.orphaned_files_found,
    preview.exceeds_safety_threshold,
    'Delete',
  );
  if (!args) return;
  await info('Cleanup finished', text(describeCleanup(await api.call('thumbnails.cleanup', args))));
}
