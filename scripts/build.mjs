/**
 * `npm run build`: the published `dist/`. tsc writes the type declarations;
 * esbuild writes the JavaScript, one file per entry point of package.json
 * (its `exports` and `bin`) plus shared chunks, with every dependency left
 * as an import. One bundle instead of ~170 modules is most of what importing
 * mcpkit costs at start-up: Node's ESM loader resolves, reads and compiles
 * each file on its own (docs/performance.md, "Cold start").
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));

/** `./dist/a/b.js` → `src/a/b.ts`, for every JavaScript file package.json points at. */
function entryPoints() {
  const targets = new Set(Object.values(pkg.bin ?? {}));
  for (const value of Object.values(pkg.exports)) if (typeof value === "object" && value.import) targets.add(value.import);
  return [...targets].map((target) => {
    const match = /^\.\/dist\/(.+)\.js$/.exec(target);
    if (match === null) throw new Error(`build: package.json points at ${target}, which is not a dist/*.js file`);
    return `src/${match[1]}.ts`;
  });
}

rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json", "--emitDeclarationOnly"], { cwd: root, stdio: "inherit" });
await build({
  absWorkingDir: root,
  entryPoints: entryPoints(),
  outdir: "dist",
  outbase: "src",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Dependencies are the user's install (deduplicated with their own zod, hono...), never copied in.
  packages: "external",
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: "linked",
  // Error classes name themselves after their constructor (`new.target.name`).
  keepNames: true,
  logLevel: "warning",
});
