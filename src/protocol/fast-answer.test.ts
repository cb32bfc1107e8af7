import { beforeAll, describe, expect, it } from "vitest";
import { EnvelopeCheck, MODERN } from "./fast-answer.js";
import { loadSdk } from "./sdk-loader.js";

const envelope = (capabilities: unknown, extra: Record<string, unknown> = {}) => ({
  "io.modelcontextprotocol/protocolVersion": MODERN,
  "io.modelcontextprotocol/clientInfo": { name: "c", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": capabilities,
  ...extra,
});
const request = (meta: unknown) => ({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: meta } });

describe("EnvelopeCheck", () => {
  // It runs only where the SDK is loaded: a modern connection's SDK server, a readied HTTP endpoint.
  beforeAll(async () => {
    await loadSdk();
  });

  it("takes the SDK's verdict on an envelope and gives it again for an equal one, whatever its key order", () => {
    const check = new EnvelopeCheck();
    const good = envelope({ elicitation: { form: {} }, roots: {} });
    expect(check.valid(request(good), good)).toBe(true);
    const reordered = { ...envelope({ roots: {}, elicitation: { form: {} } }) };
    expect(check.valid(request(reordered), reordered)).toBe(true);
  });

  it("asks again when anything in the envelope differs, so a bad envelope after a good one is refused", () => {
    const check = new EnvelopeCheck();
    const good = envelope({});
    expect(check.valid(request(good), good)).toBe(true);
    for (const bad of [
      envelope("none"),
      envelope({}, { "io.modelcontextprotocol/logLevel": "loud" }),
      { ...envelope({}), "io.modelcontextprotocol/clientInfo": { name: 5 } },
      { ...envelope({}), "io.modelcontextprotocol/protocolVersion": "2025-11-25" },
    ]) {
      expect(check.valid(request(bad), bad), JSON.stringify(bad)).toBe(false);
    }
    expect(check.valid(request(good), good)).toBe(true);
  });

  it("is not fooled by a handler changing the envelope it was given after the verdict", () => {
    const check = new EnvelopeCheck();
    const caps: Record<string, unknown> = { roots: {} };
    const first = envelope(caps);
    expect(check.valid(request(first), first)).toBe(true);
    caps.roots = "not an object";
    expect(check.valid(request(first), first)).toBe(false);
  });

  it("keeps a bounded number of verdicts when every request brings a new envelope", () => {
    const check = new EnvelopeCheck();
    for (let i = 0; i < 100; i++) {
      const meta = { ...envelope({}), "io.modelcontextprotocol/clientInfo": { name: `c${i}`, version: "1" } };
      expect(check.valid(request(meta), meta)).toBe(true);
    }
    expect((check as unknown as { recent: unknown[] }).recent.length).toBeLessThanOrEqual(16);
  });
});
