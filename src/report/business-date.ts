/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD`). Pure: the clock is always a parameter.
 * Business days are Monday–Friday; exchange holidays are not modelled (a holiday simply has no bar).
 */

const MS_PER_DAY = 86_400_000;
const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const bangkokFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Bangkok',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Asia/Bangkok calendar date at `now`: 2026-11-27T17:30Z is 2026-11-28 in Bangkok (UTC+7). */
export function bangkokDate(now: Date): string {
  const parts = Object.fromEntries(bangkokFormat.formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** True for a real calendar date in `YYYY-MM-DD` form. Char codes, not a regex and a Date: CSV parsing calls it per row. */
export function isIsoDate(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  for (const i of DIGIT_POSITIONS) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!);
}

/** Days since 1970-01-01 (UTC). Integer day numbers make loops over thousands of dates cheap. */
export function toDayNumber(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date (YYYY-MM-DD): "${date}"`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

/** Inverse of `toDayNumber`, without allocating a Date (civil-from-days, H. Hinnant). */
export function fromDayNumber(dayNumber: number): string {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
function weekdayOfDayNumber(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isWeekdayNumber(dayNumber: number): boolean {
  const weekday = weekdayOfDayNumber(dayNumber);
  return weekday !== 0 && weekday !== 6;
}

/** Monday to Friday. */
export function isWeekday(date: string): boolean {
  return isWeekdayNumber(toDayNumber(date));
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** The date itself when it is a weekday, else the Friday before. */
export function lastBusinessDayOnOrBefore(date: string): string {
  return fromDayNumber(lastBusinessDayNumberOnOrBefore(toDayNumber(date)));
}

export function lastBusinessDayNumberOnOrBefore(dayNumber: number): number {
  const weekday = weekdayOfDayNumber(dayNumber);
  return weekday === 6 ? dayNumber - 1 : weekday === 0 ? dayNumber - 2 : dayNumber;
}

/** Day numbers of the `count` business days ending at the last business day on or before `endDayNumber`. */
export function businessDayNumbersEnding(endDayNumber: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const days = new Array<number>(count);
  let day = lastBusinessDayNumberOnOrBefore(endDayNumber);
  for (let i = count - 1; i >= 0; i--) {
    days[i] = day;
    day = lastBusinessDayNumberOnOrBefore(day - 1);
  }
  return days;
}

/** The `count` business days (Mon–Fri) ending at the last business day on or before `endDate`, ascending. */
export function businessDaysEnding(endDate: string, count: number): string[] {
  return businessDayNumbersEnding(toDayNumber(endDate), count).map(fromDayNumber);
}

/** The instant (ms since epoch) at which an Asia/Bangkok calendar date ends: `2025-06-09` → 2025-06-09T17:00:00Z. */
export function endOfBangkokDayMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d + 1) - 7 * 3_600_000;
}
