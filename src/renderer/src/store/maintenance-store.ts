import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  type CleanupResult,
  type DeleteAllResult,
  type MissingOriginalsResult,
  type RegenerationStatus,
  type RepairResult,
  type SystemVerification,
  NO_REGENERATION,
  type CoreEventBody,
} from '../../../shared/contract';
import { REGENERATION_MODES, type RegenerationMode } from '../../../shared/reports';
import type { Api } from '../api/client';
import { errorMessage } from '../api/transport';

/**
 * The five maintenance actions of the spec's App Settings, plus the removal of
 * missing originals; each one that deletes has its dry run (preview) first.
 */
export interface MaintenanceResults {
  verify: SystemVerification;
  repair_preview: RepairResult;
  repair: RepairResult;
  cleanup_preview: CleanupResult;
  cleanup: CleanupResult;
  missing_preview: MissingOriginalsResult;
  missing: MissingOriginalsResult;
  delete_all: DeleteAllResult;
}

export type MaintenanceAction = keyof MaintenanceResults;

export interface ActionState<R> {
  status: 'idle' | 'running' | 'done' | 'error';
  result: R | null;
  error: string | null;
  /** From maintenance_progress events while running. */
  progress: { processed: number; total: number | null } | null;
}

export type ActionStates = { [A in MaintenanceAction]: ActionState<MaintenanceResults[A]> };

export interface MaintenanceState {
  actions: ActionStates;
  regeneration: RegenerationStatus | null;
  regenerationError: string | null;
  /** A start asked for and not answered yet: "missing only" checks the files on disk first. */
  regenerationStarting: RegenerationMode | null;
  /** That check's progress (verify's maintenance_progress) while starting. */
  regenerationCheck: { processed: number; total: number | null } | null;

  verifyAll(): Promise<void>;
  previewRepair(): Promise<void>;
  /** Repairs; the unmatched files go only within the safety threshold unless forced. */
  repair(force?: boolean): Promise<void>;
  previewCleanup(): Promise<void>;
  /** Deletes what the preview listed (checked again by the core before each file goes). */
  confirmCleanup(force?: boolean): Promise<void>;
  previewMissingOriginals(): Promise<void>;
  removeMissingOriginals(force?: boolean): Promise<void>;
  deleteAll(): Promise<void>;
  startRegeneration(mode: RegenerationMode): Promise<void>;
  cancelRegeneration(): Promise<void>;
  refreshRegeneration(): Promise<void>;
  dismiss(action: MaintenanceAction): void;
  /** Only the type and fields matter here, not when it was emitted. */
  handleEvent(event: CoreEventBody): void;
}

export type MaintenanceStore = StoreApi<MaintenanceState>;

const idle = { status: 'idle', result: null, error: null, progress: null } as const;

/** Which action a core maintenance_progress event belongs to. */
const PROGRESS_TARGETS: Record<string, MaintenanceAction[]> = {
  verify: ['verify'],
  repair: ['repair_preview', 'repair'],
  cleanup: ['cleanup_preview', 'cleanup'],
  missing_originals: ['missing_preview', 'missing'],
  delete_all: ['delete_all'],
};

export function createMaintenanceStore(api: Api): MaintenanceStore {
  return createStore<MaintenanceState>()((set, get) => {
    const update = <A extends MaintenanceAction>(
      action: A,
      patch: Partial<ActionState<MaintenanceResults[A]>>,
    ) =>
      set((state) => ({
        actions: { ...state.actions, [action]: { ...state.actions[action], ...patch } },
      }));

    const run = async <A extends MaintenanceAction>(
      action: A,
      call: () => Promise<MaintenanceResults[A]>,
    ) => {
      if (get().actions[action].status === 'running') return;
      update(action, { status: 'running', error: null, progress: null });
      try {
        const result = await call();
        update(action, { status: 'done', result, progress: null });
      } catch (error) {
        update(action, { status: 'error', error: errorMessage(error), progress: null });
      }
    };

    /** A dry run; a new preview forgets the last real run. */
    const preview = async <P extends MaintenanceAction>(
      action: P,
      after: MaintenanceAction,
      dryRun: () => Promise<MaintenanceResults[P]>,
    ) => {
      update(after, idle);
      await run(action, dryRun);
    };
    /** The real run after a preview; once done, the preview is forgotten. */
    const confirm = async <A extends MaintenanceAction>(
      action: A,
      previewed: MaintenanceAction,
      realRun: () => Promise<MaintenanceResults[A]>,
    ) => {
      await run(action, realRun);
      if (get().actions[action].status === 'done') update(previewed, idle);
    };

    const regenerationCall = async (call: () => Promise<RegenerationStatus>) => {
      try {
        set({ regeneration: await call(), regenerationError: null });
      } catch (error) {
        set({ regenerationError: errorMessage(error) });
      }
    };

    return {
      actions: {
        verify: idle,
        repair_preview: idle,
        repair: idle,
        cleanup_preview: idle,
        cleanup: idle,
        missing_preview: idle,
        missing: idle,
        delete_all: idle,
      },
      regeneration: null,
      regenerationError: null,
      regenerationStarting: null,
      regenerationCheck: null,

      verifyAll: () => run('verify', () => api.call('thumbnails.verifyAll')),
      previewRepair: () =>
        preview('repair_preview', 'repair', () => api.call('thumbnails.repair', { dry_run: true })),
      repair: (force = false) =>
        confirm('repair', 'repair_preview', () =>
          api.call('thumbnails.repair', { dry_run: false, force }),
        ),
      previewCleanup: () =>
        preview('cleanup_preview', 'cleanup', () =>
          api.call('thumbnails.cleanup', { dry_run: true }),
        ),
      confirmCleanup: (force = false) =>
        confirm('cleanup', 'cleanup_preview', () =>
          api.call('thumbnails.cleanup', { dry_run: false, force }),
        ),
      previewMissingOriginals: () =>
        preview('missing_preview', 'missing', () =>
          api.call('frames.removeMissing', { dry_run: true }),
        ),
      removeMissingOriginals: (force = false) =>
        confirm('missing', 'missing_preview', () =>
          api.call('frames.removeMissing', { dry_run: false, force }),
        ),
      deleteAll: () => run('delete_all', () => api.call('thumbnails.deleteAll', { confirm: true })),

      async startRegeneration(mode) {
        if (get().regenerationStarting) return;
        set({ regenerationStarting: mode, regenerationCheck: null, regenerationError: null });
        await regenerationCall(() =>
          api.call('thumbnails.regenerateAll', {
            force_regenerate: REGENERATION_MODES[mode].force_regenerate,
            include_smalls: true,
          }),
        );
        set({ regenerationStarting: null, regenerationCheck: null });
      },
      cancelRegeneration: () => regenerationCall(() => api.call('thumbnails.cancelRegeneration')),
      refreshRegeneration: () => regenerationCall(() => api.call('thumbnails.regenerationStatus')),

      dismiss(action) {
        update(action, idle);
      },

      handleEvent(event) {
        if (event.type === 'regeneration_progress') {
          const { type: _type, ...progress } = event;
          set((state) => ({
            regeneration: { ...(state.regeneration ?? NO_REGENERATION), ...progress },
          }));
        } else if (event.type === 'maintenance_progress') {
          if (event.operation === 'verify' && get().regenerationStarting === 'missing')
            set({ regenerationCheck: { processed: event.processed, total: event.total } });
          for (const action of PROGRESS_TARGETS[event.operation] ?? []) {
            if (get().actions[action].status !== 'running') continue;
            update(action, { progress: { processed: event.processed, total: event.total } });
          }
        }
      },
    };
  });
}
