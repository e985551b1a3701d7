import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  type CleanupResult,
  type DeleteAllResult,
  type RegenerationStatus,
  type RepairResult,
  type SystemVerification,
  NO_REGENERATION,
  type CoreEventBody,
} from '../../../shared/contract';
import { REGENERATION_MODES, type RegenerationMode } from '../../../shared/reports';
import type { Api } from '../api/client';
import { errorMessage } from '../api/transport';

/** The five maintenance actions of the spec's App Settings, plus the cleanup's dry run. */
export interface MaintenanceResults {
  verify: SystemVerification;
  repair: RepairResult;
  cleanup_preview: CleanupResult;
  cleanup: CleanupResult;
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
  repair(): Promise<void>;
  previewCleanup(): Promise<void>;
  /** Deletes what the preview listed (checked again by the core before each file goes). */
  confirmCleanup(force?: boolean): Promise<void>;
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
  repair: ['repair'],
  cleanup: ['cleanup_preview', 'cleanup'],
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
        repair: idle,
        cleanup_preview: idle,
        cleanup: idle,
        delete_all: idle,
      },
      regeneration: null,
      regenerationError: null,
      regenerationStarting: null,
      regenerationCheck: null,

      verifyAll: () => run('verify', () => api.call('thumbnails.verifyAll')),
      repair: () => run('repair', () => api.call('thumbnails.repair')),
      async previewCleanup() {
        update('cleanup', idle);
        await run('cleanup_preview', () => api.call('thumbnails.cleanup', { dry_run: true }));
      },
      async confirmCleanup(force = false) {
        await run('cleanup', () => api.call('thumbnails.cleanup', { dry_run: false, force }));
        if (get().actions.cleanup.status === 'done') update('cleanup_preview', idle);
      },
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
