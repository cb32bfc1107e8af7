import { createHash } from "node:crypto";

/** A Lua script run by its SHA1 (EVALSHA), falling back to EVAL when the server has not cached it. */
export interface Script {
  readonly lua: string;
  readonly sha: string;
}

/** The one command the scripts need from a client. */
export interface ScriptRunner {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

const script = (lua: string): Script => ({ lua, sha: createHash("sha1").update(lua).digest("hex") });

/**
 * Formats a Lua number exactly as JavaScript's `JSON.stringify` does: the
 * shortest digits that read back as the same double, laid out by the
 * ECMAScript `Number::toString` rules. Lua's own `tostring` keeps 14 digits,
 * which would turn `0.1 + 0.2` into `0.3` and `2 ** 60` into `1.1529215046068e+18`;
 * compareAndSet compares stored text, so a counter must read exactly as the
 * memory store would have written it.
 */
const JSON_NUMBER = `
local function jsonnumber(v)
  if v ~= v or v == math.huge or v == -math.huge then return nil end
  if v == 0 then return '0' end
  local sign = ''
  if v < 0 then sign = '-'; v = -v end
  local s
  for p = 0, 16 do
    s = string.format('%.' .. p .. 'e', v)
    if tonumber(s) == v then break end
  end
  local lead, frac, e = string.match(s, '^(%d)%.?(%d*)e([-+]%d+)$')
  local digits = (string.gsub(lead .. frac, '0+$', ''))
  local k, n = #digits, tonumber(e) + 1
  if k <= n and n <= 21 then return sign .. digits .. string.rep('0', n - k) end
  if 0 < n and n <= 21 then return sign .. string.sub(digits, 1, n) .. '.' .. string.sub(digits, n + 1) end
  if -6 < n and n <= 0 then return sign .. '0.' .. string.rep('0', -n) .. digits end
  local mantissa = string.sub(digits, 1, 1)
  if k > 1 then mantissa = mantissa .. '.' .. string.sub(digits, 2) end
  if n - 1 >= 0 then return sign .. mantissa .. 'e+' .. (n - 1) end
  return sign .. mantissa .. 'e' .. (n - 1)
end
`;

/**
 * compareAndSet. KEYS[1]; ARGV: '1' when a value is expected ('0' for
 * "absent"), the expected JSON text, the next JSON text, the TTL in ms or ''.
 * The comparison is on the stored text, exactly like MemoryStore.
 * Replies 1 when it wrote, 0 when not.
 */
export const COMPARE_AND_SET = script(`
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[3])
end
return 1
`);

/**
 * increment. KEYS[1]; ARGV: the amount (as JavaScript wrote it), the TTL in
 * ms or ''. An existing counter keeps its expiry (KEEPTTL); a new one takes
 * the TTL. Replies the new value as JSON text (a Lua number reply would be
 * truncated to an integer). Errors start with a marker the store maps.
 */
export const INCREMENT = script(`${JSON_NUMBER}
local current = redis.call('GET', KEYS[1])
local value = tonumber(ARGV[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if not ok then return redis.error_reply('MCPKIT_CORRUPT not JSON') end
  local kind = type(decoded)
  if kind == 'table' or kind == 'userdata' then kind = 'object' end
  if kind ~= 'number' then return redis.error_reply('MCPKIT_NOT_NUMBER ' .. kind) end
  -- JSON number syntax only: cjson also reads 'nan', 'inf' and hex, which JSON.parse refuses.
  if not string.match(current, '^%s*%-?%d+%.?%d*[eE]?[-+]?%d*%s*$') then return redis.error_reply('MCPKIT_CORRUPT not JSON') end
  value = decoded + value
end
local text = jsonnumber(value)
if not text then return redis.error_reply('MCPKIT_NOT_FINITE result') end
if current then
  redis.call('SET', KEYS[1], text, 'KEEPTTL')
elseif ARGV[2] ~= '' then
  redis.call('SET', KEYS[1], text, 'PX', ARGV[2])
else
  redis.call('SET', KEYS[1], text)
end
return text
`);

/**
 * Run a script on one key. EVALSHA first: the script body crosses the wire
 * only once per server (again after a restart or SCRIPT FLUSH, on NOSCRIPT).
 * Done by hand rather than with ioredis `defineCommand`, which would add
 * methods to a client the caller may own.
 */
export async function runScript(client: ScriptRunner, s: Script, key: string, args: readonly string[]): Promise<unknown> {
  try {
    return await client.call("EVALSHA", s.sha, 1, key, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return client.call("EVAL", s.lua, 1, key, ...args);
  }
}
