/**
 * `npm run bench`: builds mcpkit, installs the peers (bench/package.json),
 * and measures raw, mcpkit and the peers side by side in one run. Prints the
 * tables and writes bench/RESULTS.md (with --quick: results/bench-quick.md; with --only
 * and no earlier full run to merge with: results/bench-only.md).
 * Nothing here asserts on time; the run fails only when mcpkit or the raw
 * responder cannot be measured at all.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Unsupported } from "./lib/servers.mjs";
import { MEM_OUT } from "./lib/memory-probe.mjs";
import { render } from "./lib/report.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));
const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    frameworks: { type: "string" },
    rounds: { type: "string" },
    "no-build": { type: "boolean", default: false },
  },
});

const ALL = ["raw", "mcpkit", "sdk", "fastmcp", "tmcp", "mcp-lite"];
const SUITES = ["inproc", "stdio", "http", "startup", "memory", "storage", "footprint"];
const quick = opts.quick;
const frameworks = opts.frameworks ? opts.frameworks.split(",") : ALL;
const suites = opts.only ? opts.only.split(",") : quick ? SUITES.filter((s) => s !== "footprint") : SUITES;
const rounds = Number(opts.rounds ?? (quick ? 1 : 5));
for (const s of suites) if (!SUITES.includes(s)) throw new Error(`--only: unknown suite '${s}' (known: ${SUITES.join(", ")})`);

const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });

// The peers live in bench/node_modules; install them when missing or when the lock changed.
const stamp = `${here}node_modules/.mcpkit-bench-lock`;
const lock = readFileSync(`${here}package-lock.json`, "utf8");
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== lock) {
  console.log("bench: installing the peers (npm ci in bench/)");
  sh("npm", ["ci", "--no-audit", "--no-fund"], here);
  writeFileSync(stamp, lock);
}
if (!opts["no-build"]) {
  console.log("bench: building mcpkit");
  sh("npm", ["run", "build", "--silent"], root);
}

process.env.BENCH_MEM_OUT = MEM_OUT;
const results = { values: new Map(), failures: new Map() };
const slot = (map, id) => map.get(id) ?? map.set(id, new Map()).get(id);
// A full run with --only re-measures those suites and keeps the other figures of the last full run.
const lastRun = `${root}results/bench.json`;
let previousRounds;
if (opts.only && !quick && existsSync(lastRun)) {
  const last = JSON.parse(readFileSync(lastRun, "utf8"));
  // The rounds of the full run the figures come from (a merged run passes its source on).
  previousRounds = last.meta?.merged ? last.meta.previousRounds : last.meta?.rounds;
  for (const [id, byFw] of Object.entries(last.values)) results.values.set(id, new Map(Object.entries(byFw)));
  for (const [id, byFw] of Object.entries(last.failures)) results.failures.set(id, new Map(Object.entries(byFw)));
}
const fresh = new Set();
const renew = (id) => {
  if (fresh.has(id)) return;
  fresh.add(id);
  results.values.delete(id);
  results.failures.delete(id);
};
const ctx = {
  quick,
  rounds,
  frameworks,
  record(id, fw, value) {
    renew(id);
    const list = slot(results.values, id).get(fw) ?? [];
    list.push(value);
    slot(results.values, id).set(fw, list);
  },
  fail(ids, fw, error) {
    for (const one of [ids].flat()) renew(one);
    const why = error instanceof Unsupported ? `n/a (${error.message})` : `error: ${String(error?.message ?? error).split("\n")[0].slice(0, 300)}`;
    for (const id of [ids].flat()) slot(results.failures, id).set(fw, why);
    console.log(`  ${fw} ${[ids].flat()[0]}: ${why}`);
  },
  async attempt(id, fw, fn) {
    try {
      const value = await fn();
      ctx.record(id, fw, value);
      console.log(`  ${fw.padEnd(9)} ${id.padEnd(18)} ${typeof value === "number" ? value.toFixed(2) : value}`);
    } catch (error) {
      ctx.fail(id, fw, error);
    }
  },
};

const started = Date.now();
for (const suite of suites) {
  console.log(`\nbench: ${suite}`);
  const mod = await import(`./lib/suite-${suite}.mjs`);
  await mod[`${suite}Suite`](ctx);
}

const cpu = cpus();
const meta = {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}`,
  command: `npm run bench${[quick ? " --quick" : "", opts.only ? ` --only=${opts.only}` : "", opts.rounds ? ` --rounds=${opts.rounds}` : ""].join("").replace(/^ /, " -- ")}`,
  merged: Boolean(opts.only && !quick && existsSync(lastRun)),
  previousRounds,
  rounds,
  // Every framework that may have figures (a merged run keeps the last full run's for all of
  // them); the report shows the ones that do, in this order.
  frameworks: ["raw", "raw-zod", ...ALL.filter((f) => f !== "raw")],
};
const markdown = render(results, meta);
console.log(`\n${markdown}`);
// bench/RESULTS.md and results/bench.json (what a later --only run merges with) hold full runs
// only: a full run, or an --only run merged with the last one. Others go beside them.
const kind = quick ? "bench-quick" : opts.only && !meta.merged ? "bench-only" : "bench";
const out = kind === "bench" ? `${here}RESULTS.md` : `${root}results/${kind}.md`;
mkdirSync(`${root}results`, { recursive: true });
writeFileSync(out, markdown);
writeFileSync(`${root}results/${kind}.json`, JSON.stringify({ meta, values: Object.fromEntries([...results.values].map(([k, v]) => [k, Object.fromEntries(v)])), failures: Object.fromEntries([...results.failures].map(([k, v]) => [k, Object.fromEntries(v)])) }, null, 2));
console.log(`bench: wrote ${out} in ${Math.round((Date.now() - started) / 1000)} s`);

// Green means the harness worked: mcpkit and raw were measured wherever they were asked to be.
const broken = [...results.failures].flatMap(([id, m]) => [...m].filter(([fw, why]) => ["raw", "mcpkit"].includes(fw) && why.startsWith("error")).map(([fw, why]) => `${fw} ${id}: ${why}`));
if (broken.length > 0) {
  console.error(`bench: mcpkit or raw could not be measured:\n${broken.join("\n")}`);
  process.exit(1);
}
