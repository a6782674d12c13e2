import { describe, expect, it } from 'vitest';
import {
  addDays,
  bangkokDate,
  businessDaysEnding,
  fromDayNumber,
  isIsoDate,
  isWeekday,
  lastBusinessDayOnOrBefore,
  toDayNumber,
} from './business-date.js';

describe('bangkokDate', () => {
  it('is the Asia/Bangkok calendar date (UTC+7, no DST)', () => {
    expect(bangkokDate(new Date('2026-11-27T17:30:00Z'))).toBe('2026-11-28');
    expect(bangkokDate(new Date('2026-11-27T16:59:59.999Z'))).toBe('2026-11-27');
    expect(bangkokDate(new Date('2026-11-27T17:00:00Z'))).toBe('2026-11-28');
    expect(bangkokDate(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
    expect(bangkokDate(new Date('2026-07-01T05:00:00+07:00'))).toBe('2026-07-01');
  });
});

describe('weekdays and business days', () => {
  it('knows the weekend', () => {
    expect(isWeekday('2026-11-27')).toBe(true); // Friday
    expect(isWeekday('2026-11-28')).toBe(false);
    expect(isWeekday('2026-11-29')).toBe(false);
    expect(isWeekday('2026-11-30')).toBe(true); // Monday
  });

  it('steps back from a weekend to Friday', () => {
    expect(lastBusinessDayOnOrBefore('2026-11-28')).toBe('2026-11-27');
    expect(lastBusinessDayOnOrBefore('2026-11-29')).toBe('2026-11-27');
    expect(lastBusinessDayOnOrBefore('2026-11-30')).toBe('2026-11-30');
    expect(lastBusinessDayOnOrBefore('2026-11-27')).toBe('2026-11-27');
    expect(lastBusinessDayOnOrBefore(bangkokDate(new Date('2026-11-27T17:30:00Z')))).toBe('2026-11-27');
  });

  it('lists the business days ending at a date, ascending', () => {
    expect(businessDaysEnding('2026-11-30', 3)).toEqual(['2026-11-26', '2026-11-27', '2026-11-30']);
    expect(businessDaysEnding('2026-11-29', 2)).toEqual(['2026-11-26', '2026-11-27']);
    expect(businessDaysEnding('2026-11-30', 0)).toEqual([]);
    const year = businessDaysEnding('2026-12-31', 261);
    expect(year[0]).toBe('2026-01-01');
    expect(year.every(isWeekday)).toBe(true);
    expect(year.every((d, i) => i === 0 || d > year[i - 1]!)).toBe(true);
    expect(() => businessDaysEnding('2026-11-30', -1)).toThrow(RangeError);
  });
});

describe('day arithmetic', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-11-28', 0)).toBe('2026-11-28');
  });

  it('converts day numbers both ways like Date does', () => {
    for (let day = toDayNumber('1999-12-25'); day < toDayNumber('2031-01-10'); day += 3) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      expect(fromDayNumber(day)).toBe(iso);
      expect(toDayNumber(iso)).toBe(day);
    }
  });

  it('rejects what is not a calendar date', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-1-5')).toBe(false);
    expect(() => toDayNumber('2026-13-01')).toThrow(RangeError);
    expect(() => addDays('yesterday', 1)).toThrow(/not an ISO date/);
  });
});
