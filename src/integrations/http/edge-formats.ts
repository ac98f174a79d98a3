import { z } from 'zod';

/**
 * Formats checked where a vendor's data enters (and where ours leaves): a shape-only regex would let
 * 2024-02-31 or "nobody@" through, and a vendor's bad data would travel on as if it were valid.
 * They match the OpenAPI `format: date`, `format: date-time` and `format: email` of api/*.yaml.
 */

function isRealDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** RFC 3339 date-time: a real day, a time, and an offset (`Z` or ±hh:mm). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

const realDay = (m: RegExpExecArray | null) => m !== null && isRealDay(Number(m[1]), Number(m[2]), Number(m[3]));

/** `YYYY-MM-DD` naming a day that exists. */
export const calendarDateSchema = z.string().refine((v) => realDay(DAY.exec(v)), 'must be a real date YYYY-MM-DD');

/** RFC 3339 date-time with offset, on a day that exists. */
export const dateTimeSchema = z.string().refine((v) => realDay(DATE_TIME.exec(v)), 'must be an RFC 3339 date-time with offset');

/** An address with a local part, an @ and a dotted domain, without spaces; 254 characters at most. */
export const emailAddressSchema = z
  .string()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address');
