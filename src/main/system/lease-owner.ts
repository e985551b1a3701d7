import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isProcessAlive } from '../files/file-operations';

/**
 * Who holds a job's or a regeneration session's lease: host, pid and a per-run
 * tag, so a restarted process that got a dead one's pid back is never
 * mistaken for it.
 */
export function makeLeaseOwner(): string {
  return `${hostname()}|${process.pid}|${randomUUID().slice(0, 8)}`;
}

/**
 * True when `owner` ran on this host and is certainly gone: its pid is ours
 * under another tag (an earlier run), or no process has its pid. A pid reused
 * by an unrelated process counts as alive; the lease's expiry covers that case.
 */
export function isLeaseOwnerDead(owner: string, self: string): boolean {
  if (owner === self) return false;
  const [host, pidText] = owner.split('|');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  return pid === process.pid || !isProcessAlive(pid);
}
