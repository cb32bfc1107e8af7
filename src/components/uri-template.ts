/**
 * RFC 6570 URI templates, restricted to the subset MCP resource templates need:
 * simple `{var}`, reserved `{+var}`, explode `{var*}` / `{+var*}` and a trailing
 * form-style query `{?a,b}`. Everything else is rejected at parse time so that
 * matching can stay deterministic and linear in the length of the URI.
 *
 * @module
 */

import { ErrorCodes, McpkitError } from "../errors/index.js";

/** URIs longer than this (in UTF-16 code units) are rejected before any scanning. */
const MAX_URI_LENGTH = 64 * 1024;

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;
const HEX = /[0-9A-Fa-f]/;

type Operator = "simple" | "reserved";

interface LiteralToken {
  readonly kind: "literal";
  /** The literal exactly as written in the template. */
  readonly raw: string;
  /** The literal with URI-illegal characters percent-encoded, as `expand` emits it. */
  readonly encoded: string;
}

interface VariableToken {
  readonly kind: "variable";
  readonly name: string;
  readonly operator: Operator;
  readonly explode: boolean;
}

type PathToken = LiteralToken | VariableToken;

/** Values accepted by {@link UriTemplate.expand}; `undefined` and empty arrays count as absent. */
export type UriTemplateValue = string | number | boolean | readonly string[] | undefined;

/**
 * Thrown by {@link UriTemplate.parse} for templates outside the supported subset.
 * The message names the problem and the 0-based position in the template.
 */
export class UriTemplateError extends McpkitError {

  /**
   * @param template - the offending template
   * @param position - 0-based index of the problem in `template`
   * @param problem - human-readable description of what is wrong
   */
  constructor(
    readonly template: string,
    readonly position: number,
    problem: string,
  ) {
    super(ErrorCodes.INVALID_URI_TEMPLATE, `Invalid URI template ${JSON.stringify(template)} at position ${position}: ${problem}`);
  }
}

function isHexTriplet(s: string, i: number): boolean {
  return s[i] === "%" && HEX.test(s[i + 1] ?? "") && HEX.test(s[i + 2] ?? "");
}

/** Simple-expansion encoding: everything but unreserved, including `!'()*` that encodeURIComponent keeps. */
function encodeUnreserved(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Reserved-expansion (and literal) encoding: unreserved, reserved and existing `%XX` triplets pass through. */
function encodeReserved(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; ) {
    const c = value[i] as string;
    if (isHexTriplet(value, i)) {
      out += value.slice(i, i + 3);
      i += 3;
    } else if (UNRESERVED.test(c) || RESERVED.test(c)) {
      out += c;
      i += 1;
    } else {
      // Take the whole code point so astral characters are encoded as one UTF-8 sequence.
      const cp = value.codePointAt(i) as number;
      const len = cp > 0xffff ? 2 : 1;
      out += encodeURIComponent(value.slice(i, i + len));
      i += len;
    }
  }
  return out;
}

/** Returns the index of the first character that breaks RFC 6570 `varname`, or -1 if valid. */
function invalidVarnameIndex(name: string): number {
  if (name.length === 0) return 0;
  let expectVarchar = true;
  for (let i = 0; i < name.length; ) {
    if (isHexTriplet(name, i)) {
      i += 3;
      expectVarchar = false;
    } else if (/[A-Za-z0-9_]/.test(name[i] as string)) {
      i += 1;
      expectVarchar = false;
    } else if (name[i] === "." && !expectVarchar) {
      i += 1;
      expectVarchar = true; // a dot must be followed by another varchar
    } else {
      return i;
    }
  }
  return expectVarchar ? name.length - 1 : -1;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * A parsed URI template that can both build URIs (`expand`) and recognise them (`match`).
 *
 * Matching rule: scanning left to right, each variable extends to the FIRST occurrence
 * of the literal that follows it (at least one character), or to the end of the path
 * part if it is the last path token. This is the one deterministic choice that needs no
 * backtracking, which is what keeps matching linear; the price is that a value containing
 * the following literal unencoded (e.g. "-" in `{a}-{b}`) does not round-trip.
 *
 * @example
 * ```ts
 * const t = UriTemplate.parse("users://{id}/profile");
 * t.expand({ id: "a/b" }); // "users://a%2Fb/profile"
 * t.match("users://a%2Fb/profile"); // { id: "a/b" }
 * ```
 */
export class UriTemplate {
  /** The template source exactly as given to {@link UriTemplate.parse}. */
  readonly template: string;
  /** All variable names in template order. */
  readonly variables: readonly string[];
  /** Names of the simple, reserved and explode variables (everything outside `{?...}`). */
  readonly pathVariables: readonly string[];
  /** Names from the trailing `{?...}` query expression. */
  readonly queryVariables: readonly string[];
  /** True when the template has at least one expression, i.e. is not a fixed URI. */
  readonly isTemplate: boolean;

  readonly #tokens: readonly PathToken[];
  readonly #hasQuery: boolean;

  private constructor(template: string, tokens: PathToken[], query: string[] | undefined) {
    this.template = template;
    this.#tokens = tokens;
    this.#hasQuery = query !== undefined;
    this.pathVariables = Object.freeze(tokens.flatMap((t) => (t.kind === "variable" ? [t.name] : [])));
    this.queryVariables = Object.freeze(query ?? []);
    this.variables = Object.freeze([...this.pathVariables, ...this.queryVariables]);
    this.isTemplate = this.variables.length > 0;
  }

  /**
   * Parses a template, rejecting anything that would make expansion lossy or matching ambiguous.
   *
   * @throws {@link UriTemplateError} for unbalanced braces, empty expressions, unsupported
   * operators or modifiers, invalid or duplicate variable names, two adjacent variable
   * expressions without a literal between them, or a query expression that is not last.
   */
  static parse(template: string): UriTemplate {
    const fail = (position: number, problem: string): never => {
      throw new UriTemplateError(template, position, problem);
    };
    const tokens: PathToken[] = [];
    const seen = new Set<string>();
    let query: string[] | undefined;
    let literal = "";
    let i = 0;

    const addVariable = (name: string, at: number): void => {
      const bad = invalidVarnameIndex(name);
      if (bad >= 0) fail(at + bad, name === "" ? "empty variable name" : `invalid variable name ${JSON.stringify(name)}`);
      if (seen.has(name)) fail(at, `duplicate variable name ${JSON.stringify(name)}`);
      seen.add(name);
    };

    while (i < template.length) {
      const c = template[i] as string;
      if (c === "}") fail(i, "unopened expression: '}' without a matching '{'");
      if (c !== "{") {
        literal += c;
        i += 1;
        continue;
      }
      const close = template.indexOf("}", i + 1);
      const nested = template.indexOf("{", i + 1);
      if (close < 0 || (nested >= 0 && nested < close)) fail(i, "unclosed expression: '{' without a matching '}'");
      if (literal !== "") {
        tokens.push({ kind: "literal", raw: literal, encoded: encodeReserved(literal) });
        literal = "";
      }
      const body = template.slice(i + 1, close);
      const start = i + 1;
      i = close + 1;
      if (body === "") fail(start - 1, "empty expression '{}'");

      const op = body[0] as string;
      if (op === "?") {
        if (close + 1 < template.length) fail(close + 1, "the query expression {?...} must be the last part of the template");
        query = [];
        let at = start + 1;
        for (const name of body.slice(1).split(",")) {
          if (name.endsWith("*")) fail(at + name.length - 1, "the explode modifier '*' is not supported in query expressions");
          addVariable(name, at);
          query.push(name);
          at += name.length + 1;
        }
        continue;
      }
      // RFC 6570 level 2-3 operators and the reserved future ones; the rest start a varname.
      if ("#./;&=,!@|".includes(op)) {
        fail(start, `unsupported operator '${op}' (only {var}, {+var}, {var*} and {?a,b} are supported)`);
      }
      const operator: Operator = op === "+" ? "reserved" : "simple";
      const nameStart = operator === "reserved" ? start + 1 : start;
      let name = template.slice(nameStart, close);
      const comma = name.indexOf(",");
      if (comma >= 0) fail(nameStart + comma, "several variables in one expression are only supported in {?...}");
      const colon = name.indexOf(":");
      if (colon >= 0) fail(nameStart + colon, "unsupported prefix modifier ':'");
      const explode = name.endsWith("*");
      if (explode) name = name.slice(0, -1);
      addVariable(name, nameStart);
      if (tokens.at(-1)?.kind === "variable") {
        // Two variables back to back have no delimiter, so any split of the text would be valid.
        fail(start - 1, "adjacent variable expressions need a literal between them");
      }
      tokens.push({ kind: "variable", name, operator, explode });
    }
    if (literal !== "") tokens.push({ kind: "literal", raw: literal, encoded: encodeReserved(literal) });
    return new UriTemplate(template, tokens, query);
  }

  /**
   * Builds a URI. Simple values are encoded so that only unreserved characters remain;
   * reserved values keep reserved characters and `%XX` triplets as-is; explode values keep
   * "/" separators (arrays are joined with "/"). Non-explode arrays are comma-joined per
   * RFC 6570. Missing path values expand to "" (RFC 6570), which then will not `match`;
   * missing query values are skipped, and no "?" is emitted when all are missing.
   *
   * @throws URIError if a value contains a lone surrogate, which has no UTF-8 encoding.
   */
  expand(values: Readonly<Record<string, UriTemplateValue>>): string {
    let out = "";
    for (const token of this.#tokens) {
      if (token.kind === "literal") {
        out += token.encoded;
        continue;
      }
      const value = values[token.name];
      if (value === undefined) continue;
      const encode = token.operator === "reserved" ? encodeReserved : encodeUnreserved;
      if (typeof value === "object") {
        out += value.map(encode).join(token.explode ? "/" : ",");
      } else if (token.explode) {
        out += String(value).split("/").map(encode).join("/");
      } else {
        out += encode(String(value));
      }
    }
    const pairs: string[] = [];
    for (const name of this.queryVariables) {
      const value = values[name];
      if (value === undefined || (typeof value === "object" && value.length === 0)) continue;
      const text = typeof value === "object" ? value.map(encodeUnreserved).join(",") : encodeUnreserved(String(value));
      pairs.push(`${name}=${text}`);
    }
    return pairs.length > 0 ? `${out}?${pairs.join("&")}` : out;
  }

  /**
   * Matches a URI against the template, returning the captured variables or `undefined`.
   *
   * - Literals must appear exactly, either as written or in their percent-encoded form.
   * - Simple variables are non-empty, must not contain "/" and are percent-decoded.
   * - Explode variables may contain "/" and are decoded segment by segment.
   * - Reserved variables may contain "/" and are returned exactly as they appear (no
   *   decoding), so they round-trip only for values made of unreserved and reserved characters.
   * - With a `{?...}` expression, the first "?" not consumed by a literal starts the query;
   *   `&`-separated `k=v` pairs with known names are decoded ("+" stays "+"), unknown keys are
   *   ignored, the first occurrence of a repeated key wins, and absent keys are omitted.
   *
   * Scanning is a single left-to-right pass using `indexOf`, so it is linear in the URI
   * length. URIs longer than 64 KiB and malformed `%` escapes yield `undefined`.
   */
  match(uri: string): Record<string, string> | undefined {
    if (uri.length > MAX_URI_LENGTH) return undefined;
    const result: Record<string, string> = {};
    const tokens = this.#tokens;
    let pos = 0;
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t] as PathToken;
      if (token.kind === "literal") {
        const len = literalAt(uri, token, pos);
        if (len < 0) return undefined;
        pos += len;
        continue;
      }
      const next = tokens[t + 1];
      let end: number;
      if (next === undefined) {
        const q = this.#hasQuery ? uri.indexOf("?", pos) : -1;
        end = q < 0 ? uri.length : q;
      } else {
        // Parse guarantees a literal follows every non-final variable.
        const found = findLiteral(uri, next as LiteralToken, pos + 1);
        if (found < 0) return undefined;
        end = found;
      }
      if (end <= pos) return undefined;
      const span = uri.slice(pos, end);
      // A forbidden character in the shortest span is also in every longer one, so failing here loses nothing.
      if (this.#hasQuery && span.includes("?")) return undefined;
      if (!token.explode && token.operator === "simple" && span.includes("/")) return undefined;
      const value = decodeSpan(span, token);
      if (value === undefined) return undefined;
      result[token.name] = value;
      pos = end;
    }
    if (pos === uri.length) return result;
    if (!this.#hasQuery || uri[pos] !== "?") return undefined;
    return this.#matchQuery(uri.slice(pos + 1), result);
  }

  #matchQuery(query: string, result: Record<string, string>): Record<string, string> | undefined {
    const wanted = new Set(this.queryVariables);
    for (const pair of query.split("&")) {
      const eq = pair.indexOf("=");
      const key = eq < 0 ? pair : pair.slice(0, eq);
      if (!wanted.has(key)) continue;
      wanted.delete(key);
      const value = safeDecode(eq < 0 ? "" : pair.slice(eq + 1));
      if (value === undefined) return undefined;
      result[key] = value;
    }
    return result;
  }

  /** Returns the template source, so a template interpolates naturally into messages. */
  toString(): string {
    return this.template;
  }
}

/** Length of the literal (raw or encoded form) at `pos`, or -1 if neither is there. */
function literalAt(uri: string, token: LiteralToken, pos: number): number {
  if (uri.startsWith(token.raw, pos)) return token.raw.length;
  if (token.encoded !== token.raw && uri.startsWith(token.encoded, pos)) return token.encoded.length;
  return -1;
}

/** Index of the earliest occurrence of either literal form at or after `from`, or -1. */
function findLiteral(uri: string, token: LiteralToken, from: number): number {
  const raw = uri.indexOf(token.raw, from);
  if (token.encoded === token.raw) return raw;
  const encoded = uri.indexOf(token.encoded, from);
  if (raw < 0) return encoded;
  return encoded < 0 ? raw : Math.min(raw, encoded);
}

function decodeSpan(span: string, token: VariableToken): string | undefined {
  if (token.operator === "reserved") return span;
  if (!token.explode) return safeDecode(span);
  const segments: string[] = [];
  for (const segment of span.split("/")) {
    const decoded = safeDecode(segment);
    if (decoded === undefined) return undefined;
    segments.push(decoded);
  }
  return segments.join("/");
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Expressions<T extends string> = T extends `${string}{${infer E}}${infer Rest}` ? E | Expressions<Rest> : never;
type SplitComma<S extends string> = S extends `${infer A},${infer B}` ? A | SplitComma<B> : S;
type StripExplode<N extends string> = N extends `${infer M}*` ? M : N;
type PathName<E extends string> = E extends `?${string}` ? never : E extends `+${infer N}` ? StripExplode<N> : StripExplode<E>;
type QueryName<E extends string> = E extends `?${infer Q}` ? SplitComma<Q> : never;

/**
 * The shape of `match` results for a literal template type: path variables (simple,
 * reserved and explode alike) are required strings, `{?...}` variables are optional strings.
 * A non-literal `string` template yields a loose record.
 *
 * @example
 * ```ts
 * type V = UriTemplateVariables<"search://{kind}{?q,limit}">; // { kind: string; q?: string; limit?: string }
 * ```
 */
export type UriTemplateVariables<T extends string> = string extends T
  ? Record<string, string>
  : Simplify<{ [K in PathName<Expressions<T>>]: string } & { [K in QueryName<Expressions<T>>]?: string }>;
