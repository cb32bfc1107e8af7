/**
 * Install footprint: what `npm install` brings into a fresh project for
 * mcpkit (packed from this checkout) and for each peer, as a user installs
 * it (with zod, which all of them need). Optional peers are not installed.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));

/** What a user of each framework installs. */
const INSTALLS = {
  mcpkit: (tarball) => [tarball],
  sdk: () => ["@modelcontextprotocol/server", "zod"],
  fastmcp: () => ["fastmcp", "zod"],
  tmcp: () => ["tmcp", "@tmcp/adapter-zod", "@tmcp/transport-stdio", "@tmcp/transport-http", "zod"],
  "mcp-lite": () => ["mcp-lite", "zod"],
};

async function dirSize(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await dirSize(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

async function footprint(specs) {
  const dir = await mkdtemp(join(tmpdir(), "mcpkit-footprint-"));
  try {
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "footprint", version: "1.0.0", private: true, type: "module" }));
    await run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", ...specs], { cwd: dir, timeout: 300_000 });
    const { stdout } = await run("npm", ["ls", "--all", "--parseable", "--omit=dev"], { cwd: dir, maxBuffer: 1 << 24 });
    const packages = new Set(stdout.split("\n").filter((l) => l.includes("node_modules")));
    return { packages: packages.size, mb: (await dirSize(join(dir, "node_modules"))) / 1e6 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function footprintSuite(ctx) {
  const packDir = await mkdtemp(join(tmpdir(), "mcpkit-pack-"));
  try {
    const { stdout } = await run("npm", ["pack", "--pack-destination", packDir, "--silent"], { cwd: root });
    const tarball = join(packDir, stdout.trim().split("\n").pop());
    for (const fw of ctx.frameworks) {
      const make = INSTALLS[fw];
      if (make === undefined) continue;
      await ctx.attempt("install-packages", fw, async () => {
        const r = await footprint(make(tarball));
        ctx.record("install-mb", fw, r.mb);
        return r.packages;
      });
    }
  } finally {
    await rm(packDir, { recursive: true, force: true });
  }
}
