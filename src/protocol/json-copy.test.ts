import { describe, expect, it } from "vitest";
import { jsonCopy } from "./json-copy.js";

const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
  get sum(): number {
    return this.x + this.y;
  }
}

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: [1, undefined, "x"] };
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { level: i, child: value } : { level: i, list: [value, null] };
  return value;
}

describe("jsonCopy", () => {
  const cases: Record<string, unknown> = {
    "a JSON-RPC request": { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "add", arguments: { a: 1, b: 2 }, _meta: {} } },
    "a result with nested content": { jsonrpc: "2.0", id: "x", result: { content: [{ type: "text", text: "héllo \ud800" }], structuredContent: { n: null, ok: true } } },
    "undefined, functions and symbols": { a: undefined, b: () => 1, c: Symbol("s"), d: [undefined, () => 1, Symbol("t"), 4] },
    "non-finite numbers and -0": { nan: NaN, inf: Infinity, ninf: -Infinity, zero: -0, list: [NaN, -0] },
    "integer-like keys (reordered as JSON.parse would)": { b: 1, 2: "two", a: 3, 1: "one" },
    "dates and toJSON": { when: new Date(0), custom: { toJSON: () => ({ replaced: true }) }, list: [new Date(1)] },
    "class instances, maps and sets": { point: new Point(1, 2), map: new Map([["k", 1]]), set: new Set([1]), list: [new Point(3, 4)] },
    "boxed primitives and typed arrays": { s: new String("s"), n: new Number(2), b: new Boolean(false), bytes: new Uint8Array([1, 2]) },
    "arrays with holes": { list: [1, , 3] },
    "null-prototype objects": { inner: Object.assign(Object.create(null) as object, { a: 1 }) },
    "deep nesting past the fast path": nested(100),
  };

  for (const [name, value] of Object.entries(cases)) {
    it(`copies ${name} exactly as a JSON round trip does`, () => {
      const copied = jsonCopy(value);
      expect(copied).toStrictEqual(viaJson(value));
      expect(JSON.stringify(copied)).toBe(JSON.stringify(viaJson(value)));
    });
  }

  it("keeps -0 out of the copy", () => {
    expect(Object.is((jsonCopy({ z: -0 }) as { z: number }).z, 0)).toBe(true);
  });

  it("shares nothing with the original", () => {
    const shared = { n: 1 };
    const value = { a: shared, b: shared, list: [shared] };
    const copied = jsonCopy(value);
    expect(copied.a).not.toBe(shared);
    expect(copied.a).not.toBe(copied.b);
    copied.a.n = 2;
    expect(shared.n).toBe(1);
    expect(copied.b.n).toBe(1);
  });

  it("makes a `__proto__` key an own field, never a prototype", () => {
    const value = JSON.parse('{"a":{"__proto__":{"polluted":true},"b":1}}') as { a: Record<string, unknown> };
    const copied = jsonCopy(value);
    expect(Object.getPrototypeOf(copied.a)).toBe(Object.prototype);
    expect(Object.hasOwn(copied.a, "__proto__")).toBe(true);
    expect(copied).toStrictEqual(viaJson(value));
  });

  it("ignores inherited enumerable keys, even on a polluted Object.prototype, as JSON does", () => {
    const value = Object.create({ inherited: 1 }) as Record<string, unknown>;
    value.own = 2;
    expect(jsonCopy({ value })).toStrictEqual({ value: { own: 2 } });
    (Object.prototype as Record<string, unknown>).polluted = true;
    try {
      expect(jsonCopy({ a: { b: 1 } })).toStrictEqual(viaJson({ a: { b: 1 } }));
      expect(Object.keys(jsonCopy({ a: 1 }))).toEqual(["a"]);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });

  it("throws JSON's TypeError for cycles and BigInt", () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { again: cycle };
    expect(() => jsonCopy(cycle)).toThrow(TypeError);
    expect(() => jsonCopy({ big: 1n })).toThrow(TypeError);
  });
});
