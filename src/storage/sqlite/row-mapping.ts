/**
 * Conversions between port values and SQLite columns. Instants are stored as epoch milliseconds
 * (INTEGER) so range checks are plain integer comparisons; booleans as 0/1 because SQLite has
 * no boolean type and better-sqlite3 refuses to bind JS booleans.
 */
export type Millis = number;

export function toMillis(date: Date): Millis {
  return date.getTime();
}

export function toMillisOrNull(date: Date | null | undefined): Millis | null {
  return date ? date.getTime() : null;
}

export function fromMillis(value: Millis): Date {
  return new Date(value);
}

export function fromMillisOrNull(value: Millis | null): Date | null {
  return value === null ? null : new Date(value);
}

export function toFlag(value: boolean | null | undefined): 0 | 1 {
  return value ? 1 : 0;
}

export function fromFlag(value: number): boolean {
  return value !== 0;
}

/** The single canonical form for emails, used both when storing and when looking up. */
export function canonicalEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Duck-typed on purpose: better-sqlite3 registers its error class with the native addon once per
 * process, so in a fresh module registry (jest, or a second copy of the package) `instanceof`
 * against this realm's classes can be false for a genuine constraint error.
 */
export function isUniqueViolation(err: unknown): err is Error & { code: string } {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
