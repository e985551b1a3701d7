import { FileNameError } from '../errors';

/**
 * The spec's file names, built and parsed as pure functions:
 *   frame      timelapse-{id}_day{XXX}_{HHMMSS}.jpg
 *   thumbnail  timelapse-{id}_thumb_day{XXX}_{HHMMSS}.jpg
 *   small      timelapse-{id}_small_day{XXX}_{HHMMSS}.jpg
 * Days pad to three digits and keep working past 999. Two frames captured in the
 * same second (or after the clock stepped back) get `-{seq}` so none overwrites
 * another: timelapse-3_day001_143022-2.jpg.
 */
export type FileKind = 'frame' | 'thumbnail' | 'small';
export type VariantKind = Exclude<FileKind, 'frame'>;

export interface FrameKey {
  timelapseId: number;
  day: number;
  /** Local wall-clock time of capture as HHMMSS. */
  clock: string;
  /** 0 for the first frame of that second, then 2, 3, … */
  seq: number;
}

export interface ParsedName extends FrameKey {
  kind: FileKind;
}

const INFIX: Record<FileKind, string> = { frame: '', thumbnail: '_thumb', small: '_small' };
const NAME_PATTERN = /^timelapse-([1-9]\d{0,9})(_thumb|_small)?_day(\d{3,})_(\d{6})(?:-([2-9]|[1-9]\d+))?\.jpg$/;

export function formatFileName(kind: FileKind, key: FrameKey): string {
  assertKey(key);
  const day = String(key.day).padStart(3, '0');
  const seq = key.seq > 0 ? `-${key.seq}` : '';
  return `timelapse-${key.timelapseId}${INFIX[kind]}_day${day}_${key.clock}${seq}.jpg`;
}

export function parseFileName(name: string): ParsedName {
  const match = NAME_PATTERN.exec(name);
  if (!match) throw new FileNameError(name, 'expected timelapse-{id}[_thumb|_small]_day{XXX}_{HHMMSS}.jpg');
  const [, id, infix, dayText, clock, seqText] = match;
  if (dayText!.length > 3 && dayText!.startsWith('0')) {
    throw new FileNameError(name, 'day numbers above 999 carry no leading zero');
  }
  const key: FrameKey = { timelapseId: Number(id), day: Number(dayText), clock: clock!, seq: seqText ? Number(seqText) : 0 };
  if (key.day < 1) throw new FileNameError(name, 'day numbers start at 1');
  if (!isValidClock(key.clock)) throw new FileNameError(name, `"${key.clock}" is not a time of day`);
  const kind: FileKind = infix === '_thumb' ? 'thumbnail' : infix === '_small' ? 'small' : 'frame';
  return { kind, ...key };
}

/** Like parseFileName, but answers null for a name that does not parse. */
export function tryParseFileName(name: string): ParsedName | null {
  try {
    return parseFileName(name);
  } catch (error) {
    if (error instanceof FileNameError) return null;
    throw error;
  }
}

/** The thumbnail or small name that belongs to a frame name. */
export function variantFileName(frameName: string, kind: VariantKind): string {
  const parsed = parseFileName(frameName);
  if (parsed.kind !== 'frame') throw new FileNameError(frameName, 'not a frame name');
  return formatFileName(kind, parsed);
}

/** HHMMSS of a time in the local time zone. */
export function clockOf(date: Date): string {
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join('');
}

function isValidClock(clock: string): boolean {
  const [h, m, s] = [clock.slice(0, 2), clock.slice(2, 4), clock.slice(4, 6)].map(Number);
  return h! < 24 && m! < 60 && s! < 60;
}

function assertKey(key: FrameKey): void {
  if (!Number.isSafeInteger(key.timelapseId) || key.timelapseId < 1) throw new FileNameError(String(key.timelapseId), 'bad timelapse id');
  if (!Number.isSafeInteger(key.day) || key.day < 1) throw new FileNameError(String(key.day), 'bad day number');
  if (!/^\d{6}$/.test(key.clock) || !isValidClock(key.clock)) throw new FileNameError(key.clock, 'bad HHMMSS');
  if (!Number.isSafeInteger(key.seq) || key.seq < 0 || key.seq === 1) throw new FileNameError(String(key.seq), 'bad sequence');
}
