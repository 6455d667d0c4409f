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

export function isUniqueViolation(err: unknown): err is Error & { code: string } {
  return err instanceof Error && (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
