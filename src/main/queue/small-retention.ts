import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { CoreContext } from '../context';
import { writeTransaction } from '../database/connection';
import { safeDelete } from '../files/file-operations';

const PAGE = 500;

/**
 * The small_generation_mode and purge_smalls_on_completion policies. Paths are
 * cleared in the database first (the triggers fix small_count), files deleted
 * after, so a crash in between leaves only orphans that cleanup can find.
 */
export class SmallRetention {
  constructor(private readonly ctx: CoreContext) {}

  /** latest_only: every small of the timelapse except `keepImageId`'s goes. */
  async keepOnlyLatest(timelapseId: number, keepImageId: number): Promise<number> {
    return this.purge(timelapseId, keepImageId);
  }

  /** Completing a timelapse with purge_smalls_on_completion on deletes its smalls. */
  async onTimelapseCompleted(timelapseId: number): Promise<number> {
    if (!this.ctx.settings.get('purge_smalls_on_completion')) return 0;
    return this.purge(timelapseId, null);
  }

  private async purge(timelapseId: number, keepImageId: number | null): Promise<number> {
    let purged = 0;
    for (;;) {
      const page = writeTransaction(this.ctx.db, () => {
        const rows = this.ctx.ops.images.listSmallsOfTimelapse(timelapseId, keepImageId ?? 0, PAGE);
        for (const row of rows) this.ctx.ops.images.setSmallPath(row.id, null, null);
        return rows;
      });
      for (const row of page) await safeDelete(this.ctx.tree.resolve(row.small_path));
      purged += page.length;
      if (page.length < PAGE) return purged;
      await yieldToLoop();
    }
  }
}
