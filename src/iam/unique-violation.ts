/**
 * Turning a database unique violation into the domain's EntityAlreadyExists. Services check for a
 * name clash before inserting, but two concurrent writers can both pass that check; the unique
 * index then decides, and this maps its error (SQLSTATE 23505) to the typed one.
 */

/** SQLSTATE of `unique_violation`. */
const UNIQUE_VIOLATION = '23505';

/** True when `error` (or an error it wraps, as drizzle does) is a PostgreSQL unique violation. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** A `.catch` handler: throws `make()` for a unique violation, rethrows anything else unchanged. */
export function rethrowUniqueViolation(make: () => Error): (error: unknown) => never {
  return (error) => {
    throw isUniqueViolation(error) ? make() : error;
  };
}
