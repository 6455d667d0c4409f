/**
 * A value now, or later. The bearer path answers most requests from the 1-second caches; when a
 * step has its answer at hand it returns it instead of a promise, because with the request
 * context's AsyncLocalStorage every promise costs the process a hook call on creation and on each
 * reaction (docs/benchmarks.md measured 57 promises per bearer request before this).
 */
export type MaybePromise<T> = T | Promise<T>;

/** `next(value)` now when `value` is at hand, else once it resolves; a rejection passes through. */
export function andThen<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
