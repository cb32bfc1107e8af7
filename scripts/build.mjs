/**
 * `npm run build`: the published `dist/`. tsc writes the type declarations;
 * esbuild writes the JavaScript, one file per entry point of package.json
 * (its `exports` and `bin`) plus shared chunks, with every dependency left
 * as an import. One bundle instead of ~170 modules is most of what importing
 * mcpkit costs at start-up: Node's ESM loader resolves, reads and compiles
 * each file on its own (docs/performance.md, "Cold start").
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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
  // No `keepNames`: it redefines `name` on every function made at run time, closures included,
  // which costs memory and time per call (4 KiB more per open HTTP session). The check below
  // covers what relies on names instead.
  logLevel: "warning",
});
restoreClassNames();

/**
 * A bundled class that refers to itself comes out as `var Tool = class _Tool {`
 * (or `var Client2 = class _Client {` where its name is taken), so its `name`
 * is "_Tool". Each such top-level class gets its name back by one
 * statement at the end of its file, after all mapped code (the source maps stay
 * exact).
 */
function restoreClassNames() {
  for (const file of readdirSync(`${root}dist`, { recursive: true, withFileTypes: true })) {
    if (!file.isFile() || !file.name.endsWith(".js")) continue;
    const path = join(file.parentPath, file.name);
    const code = readFileSync(path, "utf8");
    // `_Client` is the source's name even where the variable became `Client2` (the SDK's own `Client` is imported beside it).
    const classes = [...code.matchAll(/^var (\w+) = class _(\w+)\b/gm)].map((m) => ({ variable: m[1], name: m[2] }));
    if (classes.length === 0) continue;
    const fix = classes.map(({ variable, name }) => `Object.defineProperty(${variable}, "name", { value: ${JSON.stringify(name)} });`).join("\n");
    const at = code.lastIndexOf("\n//# sourceMappingURL=");
    writeFileSync(path, at === -1 ? `${code}\n${fix}\n` : `${code.slice(0, at)}\n${fix}${code.slice(at)}`);
  }
}

// Error classes name themselves after their constructor (`new.target.name`), and users read
// exported names in stack traces: the bundler renames a symbol only when two modules of a chunk
// declare the same name, so check that no export came out renamed.
const renamed = [];
for (const entry of entryPoints()) {
  const url = new URL(`../dist/${entry.slice("src/".length, -".ts".length)}.js`, import.meta.url);
  if (entry.endsWith("/bin.ts")) continue; // the CLI runs when imported
  for (const [exported, value] of Object.entries(await import(url.href))) {
    if (typeof value === "function" && value.name !== exported) renamed.push(`${entry}: ${exported} is named ${value.name}`);
  }
}
if (renamed.length > 0) throw new Error(`build: bundled exports lost their names:\n${renamed.join("\n")}`);
