import { createHash } from 'node:crypto';

/**
 * Lua scripts for every read-modify-write step. Redis runs a script without interleaving any
 * other command, which gives the same atomicity as the SQLite adapter's single statements.
 * Liveness is always decided against the caller's `now` (an argument), never Redis' clock;
 * the key's real TTL only lets Redis collect what nobody reads any more.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
}

/** Error text a script returns when a counter key holds something that is not a number. */
export const NOT_A_COUNTER = 'NOT_A_COUNTER';

/**
 * Number → text without Lua's 14-digit `tostring` rounding; integers print as integers, as
 * JavaScript's String() does for the values counters and scores hold.
 */
const FORMAT_NUMBER = `
local function fmt(n)
  if n == math.floor(n) and math.abs(n) < 9007199254740992 then return string.format('%d', n) end
  return string.format('%.17g', n)
end`;

/** KEYS[1] kv key; ARGV value, expiresAt, now, pttl. 1 when set, 0 when a live value exists. */
export const KV_SET_IF_ABSENT = new LuaScript(`
local expiresAt = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
if expiresAt and expiresAt > tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'expiresAt', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`);

/** KEYS[1] kv key; ARGV now. The live value, removed; an expired one is left for the sweep. */
export const KV_TAKE = new LuaScript(`
local entry = redis.call('HMGET', KEYS[1], 'value', 'expiresAt')
if not entry[1] or not (tonumber(entry[2]) and tonumber(entry[2]) > tonumber(ARGV[1])) then return false end
redis.call('DEL', KEYS[1])
return entry[1]`);

/**
 * KEYS[1] kv key; ARGV by, now, expiresAt of a new window, slackMs. Fixed window: a live
 * counter keeps its end, a missing or expired one restarts at \`by\`. Returns {value, expiresAt}.
 */
export const KV_INCREMENT = new LuaScript(`${FORMAT_NUMBER}
local now = tonumber(ARGV[2])
local entry = redis.call('HMGET', KEYS[1], 'value', 'expiresAt')
local base, expiresAt = 0, ARGV[3]
if entry[1] and tonumber(entry[2]) and tonumber(entry[2]) > now then
  -- JavaScript's Number() reads blank text as 0; a set() value counts as its numeric text.
  if string.find(entry[1], '^%s*$') then base = 0 else base = tonumber(entry[1]) end
  if base == nil or base ~= base or base == math.huge or base == -math.huge then
    return redis.error_reply('${NOT_A_COUNTER} the value is not a number')
  end
  expiresAt = entry[2]
end
local value = fmt(base + tonumber(ARGV[1]))
redis.call('HSET', KEYS[1], 'value', value, 'expiresAt', expiresAt)
redis.call('PEXPIRE', KEYS[1], tonumber(expiresAt) - now + tonumber(ARGV[4]))
return {value, expiresAt}`);

/**
 * KEYS[1] violations hash; ARGV type, score, expiresAt, now, pttl. Adds to a live score and
 * pushes its expiry to now + ttl (the quiet period restarts); an expired score restarts.
 * The hash's own TTL only ever grows, so it outlives its longest-lived type.
 */
export const ADD_VIOLATION = new LuaScript(`${FORMAT_NUMBER}
local scoreField, expiresField = 'score:' .. ARGV[1], 'expiresAt:' .. ARGV[1]
local entry = redis.call('HMGET', KEYS[1], scoreField, expiresField)
local total = tonumber(ARGV[2])
if entry[1] and tonumber(entry[2]) and tonumber(entry[2]) > tonumber(ARGV[4]) then
  total = (tonumber(entry[1]) or 0) + total
end
redis.call('HSET', KEYS[1], scoreField, fmt(total), expiresField, ARGV[3])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
return fmt(total)`);

/** KEYS[1] violations hash. Removes every type; returns how many there were. */
export const CLEAR_VIOLATIONS = new LuaScript(`
local types = 0
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(field, 1, 10) == 'expiresAt:' then types = types + 1 end
end
redis.call('DEL', KEYS[1])
return types`);

/** KEYS kv or ban hashes; ARGV now. Deletes those whose expiresAt has passed; returns the count. */
export const SWEEP_EXPIRED_KEYS = new LuaScript(`
local now, removed = tonumber(ARGV[1]), 0
for _, key in ipairs(KEYS) do
  local expiresAt = tonumber(redis.call('HGET', key, 'expiresAt'))
  if expiresAt and expiresAt <= now then
    redis.call('DEL', key)
    removed = removed + 1
  end
end
return removed`);

/** KEYS violations hashes; ARGV now. Deletes expired types (Redis drops emptied hashes). */
export const SWEEP_EXPIRED_VIOLATIONS = new LuaScript(`
local now, removed = tonumber(ARGV[1]), 0
for _, key in ipairs(KEYS) do
  local fields = redis.call('HGETALL', key)
  for i = 1, #fields, 2 do
    local field = fields[i]
    if string.sub(field, 1, 10) == 'expiresAt:' and tonumber(fields[i + 1]) and tonumber(fields[i + 1]) <= now then
      redis.call('HDEL', key, field, 'score:' .. string.sub(field, 11))
      removed = removed + 1
    end
  end
end
return removed`);
