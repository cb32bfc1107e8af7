import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import { UriTemplate, UriTemplateError, type UriTemplateVariables } from "./uri-template.js";

function parseError(template: string): UriTemplateError {
  try {
    UriTemplate.parse(template);
  } catch (error) {
    if (error instanceof UriTemplateError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(template)} to be rejected`);
}

describe("UriTemplate.parse", () => {
  it("exposes the template, variable lists and isTemplate", () => {
    const t = UriTemplate.parse("repo://{owner}/{repo}/file/{+path}{?ref,raw}");
    expect(t.template).toBe("repo://{owner}/{repo}/file/{+path}{?ref,raw}");
    expect(t.variables).toEqual(["owner", "repo", "path", "ref", "raw"]);
    expect(t.pathVariables).toEqual(["owner", "repo", "path"]);
    expect(t.queryVariables).toEqual(["ref", "raw"]);
    expect(t.isTemplate).toBe(true);
    expect(String(t)).toBe(t.template);
  });

  it("treats a template without expressions as a fixed URI", () => {
    const t = UriTemplate.parse("config://app");
    expect(t.isTemplate).toBe(false);
    expect(t.variables).toEqual([]);
    expect(t.match("config://app")).toEqual({});
    expect(t.match("config://app2")).toBeUndefined();
  });

  it("accepts RFC 6570 varnames with dots and pct-encoded characters", () => {
    expect(UriTemplate.parse("x://{a.b_1}/{%41c}").variables).toEqual(["a.b_1", "%41c"]);
  });

  it.each([
    ["x://{id", 4, /unclosed expression/],
    ["x://{a{b}}", 4, /unclosed expression/],
    ["x://id}", 6, /unopened expression/],
    ["x://{}", 4, /empty expression/],
    ["x://{#frag}", 5, /unsupported operator '#'/],
    ["x://{/path}", 5, /unsupported operator '\/'/],
    ["x://x{&q}", 6, /unsupported operator '&'/],
    ["x://{=a}", 5, /unsupported operator '='/],
    ["x://{id:3}", 7, /unsupported prefix modifier/],
    ["x://{a,b}", 6, /several variables/],
    ["x://{?q*}", 7, /explode modifier/],
    ["x://{id}/{id}", 10, /duplicate variable name "id"/],
    ["x://{id}{?id}", 10, /duplicate variable name "id"/],
    ["x://{a b}", 6, /invalid variable name "a b"/],
    ["x://{a-b}", 6, /invalid variable name/],
    ["x://{.a}", 5, /unsupported operator '\.'/],
    ["x://{a.}", 6, /invalid variable name/],
    ["x://{a..b}", 7, /invalid variable name/],
    ["x://{%zz}", 5, /invalid variable name/],
    ["x://{+}", 6, /empty variable name/],
    ["x://{?a,,b}", 8, /empty variable name/],
    ["x://{a}{b}", 7, /adjacent variable expressions/],
    ["x://{a}{+b}", 7, /adjacent variable expressions/],
    ["x://{?q}/tail", 8, /must be the last/],
    ["x://{?q}{?r}", 8, /must be the last/],
  ])("rejects %j at position %i naming the problem", (template, position, problem) => {
    const error = parseError(template);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("MCPKIT_INVALID_URI_TEMPLATE");
    expect(error.name).toBe("UriTemplateError");
    expect(error.position).toBe(position);
    expect(error.message).toMatch(problem);
    expect(error.message).toContain(`position ${position}`);
  });

  it("allows a query expression directly after a variable", () => {
    expect(UriTemplate.parse("x://{a}{?q}").variables).toEqual(["a", "q"]);
  });
});

describe("simple variables", () => {
  const t = UriTemplate.parse("users://{id}/profile");

  it("expands and matches a FastMCP-style template", () => {
    expect(t.expand({ id: "42" })).toBe("users://42/profile");
    expect(t.match("users://42/profile")).toEqual({ id: "42" });
  });

  it("encodes everything outside the unreserved set", () => {
    expect(t.expand({ id: "a/b?c#d e%!'()*~" })).toBe("users://a%2Fb%3Fc%23d%20e%25%21%27%28%29%2A~/profile");
  });

  it("round-trips a simple variable containing a slash", () => {
    expect(t.match(t.expand({ id: "a/b" }))).toEqual({ id: "a/b" });
  });

  it("stringifies numbers and booleans and comma-joins arrays", () => {
    expect(t.expand({ id: 7 })).toBe("users://7/profile");
    expect(t.expand({ id: false })).toBe("users://false/profile");
    expect(t.expand({ id: ["a", "b/c"] })).toBe("users://a,b%2Fc/profile");
  });

  it("expands a missing value to the empty string, which then does not match", () => {
    expect(t.expand({})).toBe("users:///profile");
    expect(t.match("users:///profile")).toBeUndefined();
  });

  it("does not match an unencoded slash inside a simple variable", () => {
    expect(t.match("users://a/b/profile")).toBeUndefined();
  });

  it("does not match when a malformed percent escape cannot be decoded", () => {
    expect(t.match("users://%E0%A4%A/profile")).toBeUndefined();
    expect(t.match("users://%zz/profile")).toBeUndefined();
  });

  it("requires literals to match exactly", () => {
    expect(t.match("users://42/profile/")).toBeUndefined();
    expect(t.match("user://42/profile")).toBeUndefined();
    expect(t.match("users://42/Profile")).toBeUndefined();
    expect(t.match("users://42/profile?x=1")).toBeUndefined();
  });

  it("matches a trailing simple variable to the end of the URI", () => {
    const weather = UriTemplate.parse("weather://{city}/current");
    expect(weather.match("weather://New%20York/current")).toEqual({ city: "New York" });
    const tail = UriTemplate.parse("notes://{id}");
    expect(tail.match("notes://abc")).toEqual({ id: "abc" });
    expect(tail.match("notes://")).toBeUndefined();
    expect(tail.match("notes://a/b")).toBeUndefined();
  });

  it("extends a variable to the first occurrence of the next literal", () => {
    const t2 = UriTemplate.parse("x://{a}-{b}");
    expect(t2.match("x://p-q-r")).toEqual({ a: "p", b: "q-r" });
  });

  it("round-trips arbitrary non-empty strings", () => {
    const roundTrips = (v: string): void => {
      expect(t.match(t.expand({ id: v }))).toEqual({ id: v });
    };
    fc.assert(fc.property(fc.string({ minLength: 1 }), roundTrips));
    fc.assert(fc.property(fc.string({ unit: "binary", minLength: 1 }), roundTrips));
    fc.assert(fc.property(fc.string({ unit: "grapheme", minLength: 1 }), roundTrips));
  });
});

describe("reserved variables", () => {
  const t = UriTemplate.parse("repo://{owner}/{repo}/file/{+path}");

  it("keeps reserved characters and existing escapes but encodes the rest", () => {
    expect(t.expand({ owner: "o", repo: "r", path: "src/a b/ü%41?x=[1]#f" })).toBe(
      "repo://o/r/file/src/a%20b/%C3%BC%41?x=[1]#f",
    );
  });

  it("matches slashes and returns the value exactly as it appears in the URI", () => {
    expect(t.match("repo://me/kit/file/src/a%20b/index.ts")).toEqual({
      owner: "me",
      repo: "kit",
      path: "src/a%20b/index.ts",
    });
  });

  it("round-trips values made of unreserved and reserved characters", () => {
    const reservedOnly = fc.string({
      unit: fc.constantFrom(..."abcXYZ019-._~:/?#[]@!$&'()*+,;="),
      minLength: 1,
    });
    fc.assert(
      fc.property(reservedOnly, (path) => {
        expect(t.match(t.expand({ owner: "o", repo: "r", path }))).toEqual({ owner: "o", repo: "r", path });
      }),
    );
  });

  it("joins an exploded reserved array with slashes", () => {
    const t2 = UriTemplate.parse("x://{+p*}");
    expect(t2.expand({ p: ["a b", "c/d"] })).toBe("x://a%20b/c/d");
    expect(t2.match("x://a/b")).toEqual({ p: "a/b" });
  });
});

describe("explode variables", () => {
  const t = UriTemplate.parse("files://{path*}");

  it("keeps slash separators and encodes each segment of a string", () => {
    expect(t.expand({ path: "docs/read me.md" })).toBe("files://docs/read%20me.md");
    expect(t.match("files://docs/read%20me.md")).toEqual({ path: "docs/read me.md" });
  });

  it("joins an array with slashes after encoding each item", () => {
    expect(t.expand({ path: ["a/b", "c"] })).toBe("files://a%2Fb/c");
    expect(t.match("files://a%2Fb/c")).toEqual({ path: "a/b/c" });
  });

  it("stops at the first occurrence of the following literal", () => {
    const t2 = UriTemplate.parse("files://{path*}/meta");
    expect(t2.match("files://a/b/meta")).toEqual({ path: "a/b" });
    expect(t2.match("files://a/b")).toBeUndefined();
  });

  it("does not match when a segment has a malformed escape", () => {
    expect(t.match("files://ok/%G1")).toBeUndefined();
  });

  it("round-trips arrays of non-empty segments joined by slashes", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary", minLength: 1 }).filter((s) => !s.includes("/")), { minLength: 1 }), (segments) => {
        const path = segments.join("/");
        expect(t.match(t.expand({ path }))).toEqual({ path });
        expect(t.match(t.expand({ path: segments }))).toEqual({ path });
      }),
    );
  });
});

describe("query expressions", () => {
  const t = UriTemplate.parse("search://items{?q,limit}");

  it("expands present values and skips missing ones", () => {
    expect(t.expand({ q: "a b&c=d+e", limit: 10 })).toBe("search://items?q=a%20b%26c%3Dd%2Be&limit=10");
    expect(t.expand({ limit: 5 })).toBe("search://items?limit=5");
    expect(t.expand({ q: ["x", "y"] })).toBe("search://items?q=x,y");
  });

  it("emits no question mark when every query value is missing", () => {
    expect(t.expand({})).toBe("search://items");
    expect(t.expand({ q: undefined, limit: [] })).toBe("search://items");
  });

  it("matches known keys, decodes them and keeps plus signs", () => {
    expect(t.match("search://items?limit=5&q=a%20b+c")).toEqual({ q: "a b+c", limit: "5" });
  });

  it("ignores unknown keys, omits missing ones and takes the first repeat", () => {
    expect(t.match("search://items?page=2&q=x&q=y")).toEqual({ q: "x" });
    expect(t.match("search://items?q")).toEqual({ q: "" });
  });

  it("matches a URI without a query string", () => {
    expect(t.match("search://items")).toEqual({});
    expect(t.match("search://items2")).toBeUndefined();
  });

  it("does not match a malformed escape in a known key", () => {
    expect(t.match("search://items?q=%")).toBeUndefined();
  });

  it("ends the path part at the first unconsumed question mark", () => {
    const t2 = UriTemplate.parse("docs://{id}{?v}");
    expect(t2.match("docs://abc?v=2")).toEqual({ id: "abc", v: "2" });
    expect(t2.match("docs://?v=2")).toBeUndefined();
    const t3 = UriTemplate.parse("docs://{id}/x{?v}");
    expect(t3.match("docs://a?b/x")).toBeUndefined();
  });

  it("round-trips arbitrary query values", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), (q, limit) => {
        expect(t.match(t.expand({ q, limit }))).toEqual({ q, limit });
      }),
    );
  });
});

describe("literals", () => {
  it("percent-encodes URI-illegal literal characters and matches either form", () => {
    const t = UriTemplate.parse("notes://my notes/ü/{id}");
    expect(t.expand({ id: "1" })).toBe("notes://my%20notes/%C3%BC/1");
    expect(t.match("notes://my%20notes/%C3%BC/1")).toEqual({ id: "1" });
    expect(t.match("notes://my notes/ü/1")).toEqual({ id: "1" });
  });

  it("finds an encoded literal after a variable", () => {
    const t = UriTemplate.parse("x://{a} end");
    expect(t.match("x://abc%20end")).toEqual({ a: "abc" });
    expect(t.match("x://abc end")).toEqual({ a: "abc" });
  });
});

describe("hostile input", () => {
  it("scans a 60,000-character URI against separator-heavy templates", () => {
    const dashes = UriTemplate.parse("x://{a}-{b}-{c}/end");
    expect(dashes.match(`x://${"-".repeat(60_000)}`)).toBeUndefined();
    expect(dashes.match(`x://${"a-".repeat(30_000)}/end`)).toEqual({ a: "a", b: "a", c: "a-".repeat(29_998) });
    expect(dashes.match(`x://${"a-".repeat(30_000)}`)).toBeUndefined();

    const slashes = UriTemplate.parse("x://{a}/{b}/{c}");
    expect(slashes.match(`x://${"a/".repeat(30_000)}`)).toBeUndefined();
    expect(slashes.match(`x://a/b/${"c".repeat(60_000)}`)).toEqual({ a: "a", b: "b", c: "c".repeat(60_000) });
  });

  it("does not match a URI longer than 64 KiB", () => {
    const t = UriTemplate.parse("blob://{id}");
    expect(t.match(`blob://${"a".repeat(64 * 1024)}`)).toBeUndefined();
    expect(t.match(`blob://${"a".repeat(64 * 1024 - 7)}`)).toEqual({ id: "a".repeat(64 * 1024 - 7) });
  });
});

describe("UriTemplateVariables", () => {
  it("infers required path variables and optional query variables", () => {
    expectTypeOf<UriTemplateVariables<"users://{id}/profile">>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<UriTemplateVariables<"repo://{owner}/{repo}/file/{+path}">>().toEqualTypeOf<{
      owner: string;
      repo: string;
      path: string;
    }>();
    expectTypeOf<UriTemplateVariables<"files://{path*}">>().toEqualTypeOf<{ path: string }>();
    expectTypeOf<UriTemplateVariables<"search://items{?q,limit}">>().toEqualTypeOf<{ q?: string; limit?: string }>();
    expectTypeOf<UriTemplateVariables<"weather://{city}/current{?units}">>().toEqualTypeOf<{
      city: string;
      units?: string;
    }>();
    expectTypeOf<UriTemplateVariables<"config://app">>().toEqualTypeOf<Record<never, never>>();
    expectTypeOf<UriTemplateVariables<string>>().toEqualTypeOf<Record<string, string>>();
  });
});
