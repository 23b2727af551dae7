/**
 * Date condition values: ISO 8601 (`2026-01-01`, `2026-01-01T12:00:00Z`) or epoch seconds,
 * as the "Condition operators" page allows for the Date family. Compared as epoch milliseconds.
 */
import { RequestParser } from '../operator.ts';
import { parseNumber } from './number.ts';

/** Whether text is a plain (optionally signed, optionally decimal) number. */
function isEpoch(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (!(c === 46 || (i === 0 && c === 45))) return false;
  }
  return digits > 0;
}

/** Milliseconds since the epoch, or `undefined` when the text is no date. */
export function parseDate(text: string): number | undefined {
  const t = text.trim();
  if (isEpoch(t)) {
    const seconds = parseNumber(t);
    return seconds === undefined ? undefined : seconds * 1000;
  }
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Shared cache of parsed date request values. */
export const dateRequest = new RequestParser(parseDate);
