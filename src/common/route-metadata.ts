import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

type Handler = (...args: never[]) => unknown;

/** handler → controller class → metadata key → value (a method inherited by two controllers has two entries). */
const remembered = new WeakMap<Handler, Map<unknown, Map<string, unknown>>>();

/**
 * A route's decorator metadata (@Public, @Roles, @RateLimit), handler first then controller, as
 * Reflector.getAllAndOverride reads it, remembered per route: decorators run once, when the
 * classes are defined, so the answer never changes, while reflect-metadata walks prototype chains
 * on every read. The global guards ask for three keys on every request.
 */
export function routeMetadata<T>(reflector: Reflector, key: string, context: ExecutionContext): T | undefined {
  const handler = context.getHandler() as Handler;
  const controller = context.getClass();
  let byController = remembered.get(handler);
  if (!byController) remembered.set(handler, (byController = new Map()));
  let values = byController.get(controller);
  if (!values) byController.set(controller, (values = new Map()));
  if (values.has(key)) return values.get(key) as T | undefined;
  const value = reflector.getAllAndOverride<T | undefined>(key, [handler, controller]);
  values.set(key, value);
  return value;
}
