import { Injectable } from '@nestjs/common';
import { CounterValue, KeyValueStore } from '../ports';
import { RedisConnection } from './redis-connection';
import { KV_INCREMENT, KV_SET_IF_ABSENT, KV_TAKE, NOT_A_COUNTER, SWEEP_EXPIRED_KEYS } from './redis-scripts';
import { GC_SLACK_MS, gcTtlMs, isLive, sweep } from './redis-expiry';

/**
 * Key-value entries as hashes { value, expiresAt }, shared by every app instance on the same
 * Redis. Same contract as the SQLite adapter: an entry is live while expiresAt > now.
 */
@Injectable()
export class RedisKeyValueStore extends KeyValueStore {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async get(key: string, now: Date): Promise<string | null> {
    const [value, expiresAt] = await this.redis.run((c) => c.hmget(this.redis.keys.kv(key), 'value', 'expiresAt'));
    return value !== null && isLive(expiresAt, now) ? value : null;
  }

  async set(key: string, value: string, ttlMs: number, now: Date): Promise<void> {
    const redisKey = this.redis.keys.kv(key);
    const expiresAt = now.getTime() + ttlMs;
    await this.redis.batch((c) => c.multi().hset(redisKey, 'value', value, 'expiresAt', String(expiresAt)).pexpire(redisKey, gcTtlMs(expiresAt, now)));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number, now: Date): Promise<boolean> {
    const expiresAt = now.getTime() + ttlMs;
    const set = await this.redis.eval(KV_SET_IF_ABSENT, [this.redis.keys.kv(key)], [value, expiresAt, now.getTime(), gcTtlMs(expiresAt, now)]);
    return set === 1;
  }

  async take(key: string, now: Date): Promise<string | null> {
    const value = await this.redis.eval(KV_TAKE, [this.redis.keys.kv(key)], [now.getTime()]);
    return typeof value === 'string' ? value : null;
  }

  /** True when an entry was removed, expired or not (as in SQLite: the port gives no clock). */
  async delete(key: string): Promise<boolean> {
    return (await this.redis.run((c) => c.del(this.redis.keys.kv(key)))) > 0;
  }

  async increment(key: string, by: number, ttlMs: number, now: Date): Promise<CounterValue> {
    const newWindowEnd = now.getTime() + ttlMs;
    try {
      const [value, expiresAt] = (await this.redis.eval(KV_INCREMENT, [this.redis.keys.kv(key)], [by, now.getTime(), newWindowEnd, GC_SLACK_MS])) as [
        string,
        string,
      ];
      return { value: Number(value), expiresAt: new Date(Number(expiresAt)) };
    } catch (error) {
      if (error instanceof Error && error.message.startsWith(NOT_A_COUNTER)) throw new TypeError(`kv key ${key} does not hold a counter`);
      throw error;
    }
  }

  async deleteExpired(now: Date): Promise<number> {
    return sweep(this.redis, this.redis.keys.kvPattern(), SWEEP_EXPIRED_KEYS, now);
  }
}
