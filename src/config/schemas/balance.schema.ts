import { z } from 'zod';
import { bool, optStr } from '../fields/env-fields';
import { problem } from './issue';

/**
 * LibreChat's legacy balance variables. LibreChat merges them under the `balance` section of
 * CONFIG_PATH field by field: a field the file sets wins, a field it leaves out comes from here.
 * START_BALANCE must be a whole number (LibreChat's parseInt would turn `abc` into NaN credits).
 */
export const balanceEnvSchema = z
  .object({
    CHECK_BALANCE: bool(false),
    START_BALANCE: optStr(),
  })
  .superRefine((v, ctx) => {
    if (v.START_BALANCE !== undefined && !/^[+-]?\d{1,15}$/.test(v.START_BALANCE)) {
      problem(ctx, 'START_BALANCE', `${JSON.stringify(v.START_BALANCE)} is not a whole number; expected the start credits as an integer, e.g. 20000`);
    }
  })
  .transform((v) => ({
    enabled: v.CHECK_BALANCE,
    startBalance: v.START_BALANCE === undefined ? undefined : Number(v.START_BALANCE),
  }));

export type BalanceEnv = z.output<typeof balanceEnvSchema>;
