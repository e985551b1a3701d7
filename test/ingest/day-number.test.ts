import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/main/ingest/day-number';

describe('day numbering (day 1 = the session’s first local calendar day)', () => {
  const originalTz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'Europe/Berlin';
  });
  afterAll(() => {
    process.env.TZ = originalTz;
  });

  const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
    new Date(y, mo - 1, d, h, mi, s).getTime();

  it('counts local calendar days, not 24-hour spans', () => {
    const start = local(2025, 6, 10, 23, 50);
    expect(dayNumber(start, local(2025, 6, 10, 23, 59, 59))).toBe(1);
    expect(dayNumber(start, local(2025, 6, 11, 0, 0, 0))).toBe(2); // ten minutes later, past midnight
    expect(dayNumber(start, local(2025, 6, 11, 23, 49))).toBe(2);
    expect(dayNumber(start, local(2025, 7, 10, 12))).toBe(31);
  });

  it('is unaffected by daylight-saving days of 23 and 25 hours', () => {
    const spring = local(2025, 3, 29, 12); // clocks go forward on the 30th
    expect(dayNumber(spring, local(2025, 3, 30, 23, 59))).toBe(2);
    expect(dayNumber(spring, local(2025, 3, 31, 0, 0, 1))).toBe(3);
    const autumn = local(2025, 10, 25, 23, 30); // clocks go back on the 26th
    expect(dayNumber(autumn, local(2025, 10, 26, 23, 59, 59))).toBe(2);
    expect(dayNumber(autumn, local(2025, 10, 27, 0, 0))).toBe(3);
  });

  it('keeps a frame stamped before the session start on day 1, and passes 999', () => {
    const start = local(2025, 1, 1, 8);
    expect(dayNumber(start, local(2024, 12, 31, 23))).toBe(1);
    expect(dayNumber(start, local(2027, 9, 27, 8))).toBe(1000);
  });
});
