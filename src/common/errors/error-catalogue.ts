/**
 * The public error codes, declared once per module (`<module>.errors.ts`) with their status and
 * default message. `DomainError` only accepts an entry of a catalogue, so a typo cannot ship a new
 * public code, and the OpenAPI document lists, per operation and status, exactly these codes.
 */
export interface ErrorEntry<C extends string = string> {
  readonly status: number;
  readonly code: C;
  /** The default text; a throw site may pass a more precise one (never secrets). */
  readonly message: string;
  /** The catalogue (module) that declared it. */
  readonly module: string;
}

type Declared = Record<string, { status: number; code: string; message: string }>;
export type Catalogue<T extends Declared> = { readonly [K in keyof T]: ErrorEntry<T[K]['code']> };

const everyEntry: ErrorEntry[] = [];

/**
 * Declares one module's codes. The same code may appear in several catalogues (a `USER_NOT_FOUND`
 * from users/ and from two-factor/), but always with one meaning; a code with two statuses is
 * listed under both in the document.
 */
export function defineErrors<const T extends Declared>(module: string, entries: T): Catalogue<T> {
  const catalogue = {} as Record<string, ErrorEntry>;
  for (const [key, { status, code, message }] of Object.entries(entries)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(code)) throw new Error(`error code ${code} (${module}) is not UPPER_SNAKE_CASE`);
    if (status < 400 || status > 599) throw new Error(`error code ${code} (${module}) has status ${status}, not an error status`);
    const entry: ErrorEntry = Object.freeze({ status, code, message, module });
    catalogue[key] = entry;
    everyEntry.push(entry);
  }
  return Object.freeze(catalogue) as Catalogue<T>;
}

/** Every entry declared so far (each module's catalogue registers when its file is loaded). */
export function declaredErrors(): readonly ErrorEntry[] {
  return everyEntry;
}
