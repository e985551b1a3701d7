/**
 * Numbers, sizes, durations and dates in words, for the UI, the menu and the CLI.
 *
 * Dates in the user's locale through shared formatters: `toLocaleString()`
 * builds a new Intl formatter on every call, too slow for a grid that labels
 * dozens of frames on every scroll frame.
 */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const hourMinute = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

const dayDate = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
});

export const formatDateTime = (iso: string | number) => dateTime.format(new Date(iso));
/** "Tue 28 Nov" (in the user's locale). */
export const formatDayDate = (iso: string | number) => dayDate.format(new Date(iso));
/** A timelapse day's heading: "Day 3 · Tue 28 Nov". */
export const formatDayLabel = (day: number, iso: string | number) =>
  `Day ${day} · ${formatDayDate(iso)}`;
export const formatTime = (iso: string | number) => time.format(new Date(iso));
export const formatHourMinute = (iso: string | number) => hourMinute.format(new Date(iso));

const number = new Intl.NumberFormat('en');
export const n = (value: number) => number.format(value);

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${n(count)} ${count === 1 ? one : many}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const hours = Math.floor(seconds / 3600);
  return `${hours} h ${Math.round((seconds - hours * 3600) / 60)} min`;
}
