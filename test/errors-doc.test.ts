import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../src/index.js";

describe("docs/errors.md", () => {
  const doc = readFileSync(new URL("../docs/errors.md", import.meta.url), "utf8");
  const documented = new Set([...doc.matchAll(/`(MCPKIT_[A-Z_]+)`/g)].map((m) => m[1]));

  it("documents every error code the library defines", () => {
    for (const code of Object.values(ErrorCodes)) expect(documented, code).toContain(code);
  });

  it("documents no code the library does not define", () => {
    const defined = new Set<string>(Object.values(ErrorCodes));
    for (const code of documented) expect(defined, code).toContain(code);
  });
});
