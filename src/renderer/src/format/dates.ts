/**
 * Dates in the user's locale through shared formatters: `toLocaleString()`
 * builds a new Intl formatter on every call, too slow for a grid that labels
 * dozens of frames on every scroll frame.
 */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const hourMinute = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export const formatDateTime = (iso: string | number) => dateTime.format(new Date(iso));
export const formatTime = (iso: string | number) => time.format(new Date(iso));
export const formatHourMinute = (iso: string | number) => hourMinute.format(new Date(iso));
