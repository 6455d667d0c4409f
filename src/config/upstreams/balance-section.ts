import { z } from 'zod';
import type { Env } from '../load-config';
import { balanceEnvSchema } from '../schemas/balance.schema';

/** LibreChat's `REFILL_INTERVAL_UNITS`. */
const REFILL_UNITS = ['seconds', 'minutes', 'hours', 'days', 'weeks', 'months'] as const;

const finite = z.number().finite();

/**
 * The `balance` section of librechat.yaml with LibreChat's field names and types. Unknown keys
 * are refused (LibreChat drops them silently, so a misspelt `startbalance` would do nothing).
 * `reservationTtlMs` is LibreChat's request-admission setting: validated with LibreChat's type so
 * one file serves both, and used by LibreChat's API server only (no sign-in reads it).
 */
const balanceSectionSchema = z
  .object({
    enabled: z.boolean().optional(),
    startBalance: finite.optional(),
    autoRefillEnabled: z.boolean().optional(),
    refillIntervalValue: finite.optional(),
    refillIntervalUnit: z.enum(REFILL_UNITS).optional(),
    refillAmount: finite.optional(),
    reservationTtlMs: z.number().int().min(10_000).optional(),
  })
  .strict();

export type RefillUnit = (typeof REFILL_UNITS)[number];

/** What every sign-in writes to the user's balance, or null when balances are off. */
export interface BalanceSettings {
  /** `balance.enabled`, else CHECK_BALANCE. */
  enabled: boolean;
  /** `balance.startBalance`, else START_BALANCE; null means enabled without a start balance: nothing is written (LibreChat's rule). */
  startBalance: number | null;
  /** Set only when `autoRefillEnabled` is true and the interval, unit and amount are all given. */
  autoRefill: { intervalValue: number; intervalUnit: RefillUnit; amount: number } | null;
}

export const BALANCE_OFF: BalanceSettings = { enabled: false, startBalance: null, autoRefill: null };

/**
 * Combines the `balance` section of CONFIG_PATH (`raw`: the parsed file, or undefined without
 * one) with the legacy variables as LibreChat's `getBalanceConfig` does: the file's fields over
 * the variables'. LibreChat applies no schema defaults to the file, so a field neither sets stays
 * unset. Auto-refill switched on without all of its values would be ignored by LibreChat; here it
 * is refused, so a setting never looks active while doing nothing.
 */
export function loadBalance(file: string | null, raw: unknown, env: Env, problems: string[]): BalanceSettings {
  const legacy = balanceEnvSchema.safeParse(env);
  if (!legacy.success) {
    for (const issue of legacy.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    return BALANCE_OFF;
  }
  const section = raw && typeof raw === 'object' && 'balance' in raw ? (raw as { balance: unknown }).balance : undefined;
  const parsed = balanceSectionSchema.safeParse(section === undefined ? {} : section);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`CONFIG_PATH: ${file ?? ''}: balance${issue.path.length ? `.${issue.path.join('.')}` : ''} ${issue.message}`);
    }
    return BALANCE_OFF;
  }
  const yaml = parsed.data;
  const enabled = yaml.enabled ?? legacy.data.enabled;
  const startBalance = yaml.startBalance ?? legacy.data.startBalance ?? null;
  let autoRefill: BalanceSettings['autoRefill'] = null;
  if (yaml.autoRefillEnabled === true) {
    const missing = (['refillIntervalValue', 'refillIntervalUnit', 'refillAmount'] as const).filter((k) => yaml[k] === undefined);
    if (missing.length) {
      problems.push(
        `CONFIG_PATH: ${file ?? ''}: balance.autoRefillEnabled is true but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set; set them, or set autoRefillEnabled to false`,
      );
      return BALANCE_OFF;
    }
    autoRefill = { intervalValue: yaml.refillIntervalValue!, intervalUnit: yaml.refillIntervalUnit!, amount: yaml.refillAmount! };
  }
  return { enabled, startBalance, autoRefill };
}
