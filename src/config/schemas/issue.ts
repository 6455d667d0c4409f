import { z } from 'zod';

type Ctx = z.RefinementCtx;

/** Reports a cross-field problem against the variable the operator should change. */
export function problem(ctx: Ctx, variable: string, message: string): void {
  ctx.addIssue({ code: 'custom', path: [variable], message });
}

/** Both or neither: reports the missing one. */
export function together(ctx: Ctx, a: [string, unknown], b: [string, unknown], why: string): void {
  if (a[1] !== undefined && b[1] === undefined) problem(ctx, b[0], `is required when ${a[0]} is set (${why})`);
  if (b[1] !== undefined && a[1] === undefined) problem(ctx, a[0], `is required when ${b[0]} is set (${why})`);
}
