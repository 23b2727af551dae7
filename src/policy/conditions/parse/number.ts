/** Numeric condition values: integers and decimals as JSON would write them. */
import { RequestParser } from '../operator.ts';

/** Parse a number, or `undefined` for blank or non-numeric text. */
export function parseNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Shared cache of parsed numeric request values. */
export const numberRequest = new RequestParser(parseNumber);
