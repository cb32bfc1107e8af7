import { VERSION } from "../version.js";

/** The files of a new server project, by relative path. */
export function scaffoldFiles(name: string): Record<string, string> {
  const pkg = {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    engines: { node: ">=20.19" },
    scripts: {
      start: "mcpkit run src/server.ts",
      dev: "mcpkit dev src/server.ts",
      inspect: "mcpkit inspect src/server.ts",
      build: "tsc -p tsconfig.json",
      test: "vitest run",
    },
    dependencies: { mcpkit: `^${VERSION}`, zod: "^4.2.0" },
    devDependencies: { "@types/node": "^20.19.0", typescript: "^6.0.0", vitest: "^4.0.0" },
  };
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      lib: ["ES2023", "DOM", "ESNext.Disposable"],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      types: ["node"],
      outDir: "dist",
      rootDir: ".",
    },
    include: ["src", "test"],
  };
  return {
    "package.json": `${JSON.stringify(pkg, null, 2)}\n`,
    "tsconfig.json": `${JSON.stringify(tsconfig, null, 2)}\n`,
    ".gitignore": "node_modules/\ndist/\n",
    "src/server.ts": `import { FastMCP } from "mcpkit";
import { z } from "zod";

export const mcp = new FastMCP({ name: ${JSON.stringify(name)}, version: "0.1.0" });

mcp.tool(
  {
    name: "add",
    description: "Add two numbers.",
    input: z.object({ a: z.number(), b: z.number() }),
    output: z.object({ sum: z.number() }),
  },
  ({ a, b }) => ({ sum: a + b }),
);

mcp.resource("info://about", () => "A server made with mcpkit.");

mcp.prompt({ name: "explain", args: z.object({ topic: z.string() }) }, ({ topic }) => \`Explain \${topic} simply.\`);
`,
    // Serving lives in its own file, so tests can import the server without starting it.
    "src/main.ts": `import { mcp } from "./server.js";

// stdio by default; MCPKIT_TRANSPORT=http MCPKIT_PORT=8000 serves HTTP.
await mcp.run();
`,
    "test/server.test.ts": `import { connect } from "mcpkit/testing";
import { describe, expect, it } from "vitest";
import { mcp } from "../src/server.js";

describe("server", () => {
  it("adds two numbers", async () => {
    await using client = await connect(mcp);
    const result = await client.callTool("add", { a: 2, b: 3 });
    expect(result.data).toEqual({ sum: 5 });
  });

  it("lists its tools", async () => {
    await using client = await connect(mcp);
    expect((await client.listTools()).map((tool) => tool.name)).toEqual(["add"]);
  });
});
`,
    "README.md": `# ${name}

An MCP server built with [mcpkit](https://www.npmjs.com/package/mcpkit).

\`\`\`sh
npm install
npm test          # in-memory tests of the server
npm run dev       # HTTP with reload, at http://127.0.0.1:8000/mcp
npm start         # stdio, for MCP clients
\`\`\`

Add it to a client: \`npx mcpkit install claude-desktop src/server.ts\` (or \`cursor\`, \`vscode\`...).
`,
  };
}
