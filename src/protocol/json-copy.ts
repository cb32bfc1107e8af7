/** Past this depth a branch goes through JSON itself, which also turns a cycle into JSON's own TypeError. */
const MAX_DEPTH = 64;

/**
 * A deep copy with exactly the result of `JSON.parse(JSON.stringify(value))`
 * (object `value`s): `undefined`, functions and symbols dropped from objects
 * and `null` in arrays, non-finite numbers to `null`, `toJSON` honoured,
 * class instances reduced to their own enumerable fields, `BigInt` and cycles
 * throwing. Plain objects and arrays, all a JSON-RPC message usually holds,
 * are copied field by field (several times faster than the round trip on
 * small messages); anything else takes the round trip for its branch, so the
 * rare cases keep JSON's semantics by construction.
 */
export function jsonCopy<T>(value: T): T {
  return (omitted(value) ? roundTrip(value) : copy(value, 0)) as T;
}

function roundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** What JSON drops from an object and writes as `null` in an array. */
function omitted(value: unknown): boolean {
  const type = typeof value;
  return type === "undefined" || type === "function" || type === "symbol";
}

function copy(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null) {
    // `+ 0` turns -0 into 0, as JSON writes it.
    if (typeof value === "number") return Number.isFinite(value) ? value + 0 : null;
    if (typeof value === "bigint") return roundTrip(value);
    return value;
  }
  if (depth > MAX_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === "function") return roundTrip(value);
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return roundTrip(value);
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out[i] = omitted(item) ? null : copy(item, depth + 1);
    }
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return roundTrip(value);
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const key in source) {
    // for-in also walks inherited enumerable keys (a polluted prototype); JSON only writes own ones.
    if (!Object.hasOwn(source, key)) continue;
    const item = source[key];
    if (omitted(item)) continue;
    // Assigning `__proto__` would set the prototype, where JSON.parse makes an own field.
    if (key === "__proto__") return roundTrip(value);
    out[key] = copy(item, depth + 1);
  }
  return out;
}
