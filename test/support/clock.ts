import { Clock } from '../../src/common/clock';
import type { RunningApp } from './app.harness';

export interface HeldClock {
  now(): Date;
  /** Moves the app's time on by `ms` (no sleeping) and returns the new instant. */
  advance(ms: number): Date;
  restore(): void;
}

/**
 * The app's injected clock, held at a chosen instant so expiry, windows and TTLs follow it.
 * Tests let time pass with `advance` instead of sleeping; `restore` hands the clock back.
 */
export function holdClock(app: RunningApp, start = new Date()): HeldClock {
  let current = new Date(start.getTime());
  const spy = jest.spyOn(app.app.get(Clock), 'now').mockImplementation(() => new Date(current.getTime()));
  return {
    now: () => new Date(current.getTime()),
    advance(ms: number) {
      current = new Date(current.getTime() + ms);
      return new Date(current.getTime());
    },
    restore: () => spy.mockRestore(),
  };
}
