/**
 * Classifying database errors from either driver. drizzle wraps driver errors (`cause`), and the
 * engines differ: PostgreSQL 18 (PGlite) reports ON DELETE RESTRICT as `restrict_violation`
 * (23001) where PostgreSQL 15-17 report `foreign_key_violation` (23503). Callers that turn these
 * into DeleteConflict should ask `isForeignKeyViolation` rather than compare codes.
 */

/** SQLSTATE codes the schema's constraints raise. */
export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  restrictViolation: '23001',
  checkViolation: '23514',
  notNullViolation: '23502',
} as const;

/** The driver error carrying a SQLSTATE, found through wrappers, or undefined. */
function driverError(error: unknown): { code: string; constraint?: string; constraint_name?: string } | undefined {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e as { code: string };
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The SQLSTATE of a database error from either driver, looking through drizzle's wrapper. */
export function sqlStateOf(error: unknown): string | undefined {
  return driverError(error)?.code;
}

/** The violated constraint's name, when the driver reports it. */
export function constraintOf(error: unknown): string | undefined {
  const found = driverError(error);
  return found?.constraint ?? found?.constraint_name;
}

/** A row is still referenced (RESTRICT/NO ACTION) or a reference points nowhere. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = sqlStateOf(error);
  return code === SQLSTATE.foreignKeyViolation || code === SQLSTATE.restrictViolation;
}
