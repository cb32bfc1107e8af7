#!/usr/bin/env node
// Runs the MCP conformance suite (server, optionally client) for every spec
// revision we claim. Plain ESM so it runs on the system Node 20; the CLI itself
// needs Node >= 22, so it is launched with the pinned Node 24 from
// scripts/ensure-node24.sh.
//
//   npm run conformance [-- --only server|client] [-- --requirements <rev>] [-- --client]
//   MCPKIT_CONFORMANCE_CLIENT=1      also run client requirement sets
//   MCPKIT_CONFORMANCE_SERVER=<path> server file to start (default examples/conformance-server.ts)
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const REVISIONS = ["2025-11-25", "2026-07-28"];
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const CLIENT_FILE = path.join(ROOT, "examples/conformance-client.ts");
const BASELINE = "conformance/expected-failures.yaml";
const SERVER_LOG = path.join(ROOT, "results/conformance-server.log");
const READY_TIMEOUT_MS = 30_000;

const { values: opts } = parseArgs({
  options: {
    only: { type: "string" },
    requirements: { type: "string" },
    client: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  console.log("usage: conformance.mjs [--only server|client] [--requirements <rev>] [--client]");
  process.exit(0);
}
if (opts.only && !["server", "client"].includes(opts.only)) {
  console.error(`conformance: --only must be "server" or "client", got "${opts.only}"`);
  process.exit(2);
}
const revisions = opts.requirements ? [opts.requirements] : REVISIONS;
const wantServer = opts.only !== "client";
// Client runs are opt-in because examples/conformance-client.ts may not exist yet.
const wantClient =
  opts.only === "client" || (opts.only !== "server" && (opts.client || process.env.MCPKIT_CONFORMANCE_CLIENT === "1"));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => console.error(`[conformance] ${msg}`);

let server = null; // group leader of the server under test
let current = null; // conformance CLI child currently running
let stopping = false; // set by signal handlers so no further run starts

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {} // ESRCH: the whole group is already gone.
}

// tsx forks a second node process, so killing only the tsx pid can leave the
// real server running; signalling the process group (detached: true) gets both.
async function stopServer() {
  if (!server) return;
  const { pid, exited } = server;
  server = null;
  signalGroup(pid, "SIGTERM");
  // unref: a pending grace timer must not keep this process alive after the server is gone.
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000).unref())]);
  signalGroup(pid, "SIGKILL"); // grandchildren may outlive the leader
}

process.on("exit", () => server && signalGroup(server.pid, "SIGKILL"));
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    log(`received ${sig}, stopping`);
    stopping = true;
    current?.kill(sig);
    void stopServer().finally(() => process.exit(sig === "SIGINT" ? 130 : 143));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const logTail = () => (fs.existsSync(SERVER_LOG) ? fs.readFileSync(SERVER_LOG, "utf8").split("\n").slice(-40).join("\n") : "");

async function startServer(serverFile, port) {
  const fd = fs.openSync(SERVER_LOG, "w");
  const child = spawn(TSX, [serverFile], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), MCPKIT_HOST: "127.0.0.1" },
    stdio: ["ignore", fd, fd],
    detached: true,
  });
  fs.closeSync(fd);
  const exited = new Promise((r) => child.once("exit", (code, signal) => r({ code, signal })));
  server = { pid: child.pid, exited };
  let early = null;
  void exited.then((e) => (early = e));

  // Any HTTP status means the listener is up; protocol correctness is the suite's job.
  const url = `http://127.0.0.1:${port}/mcp`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (early) throw new Error(`server exited early (${early.signal ?? `code ${early.code}`}):\n${logTail()}`);
    try {
      await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}", signal: AbortSignal.timeout(2000) });
      return url;
    } catch {
      await sleep(250);
    }
  }
  throw new Error(`server did not answer ${url} within ${READY_TIMEOUT_MS / 1000}s; log tail:\n${logTail()}`);
}

function hasBaselineEntries() {
  const file = path.join(ROOT, BASELINE);
  if (!fs.existsSync(file)) return false;
  // A comments-only file means "no expected failures"; passing it would just be noise.
  return fs.readFileSync(file, "utf8").split("\n").some((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}

function runCli(node24, cliBin, args) {
  return new Promise((resolve) => {
    log(`$ node24 ${path.relative(ROOT, cliBin)} ${args.join(" ")}`);
    current = spawn(node24, [cliBin, ...args], { cwd: ROOT, stdio: "inherit" });
    current.once("error", (err) => resolve({ code: null, signal: String(err) }));
    current.once("exit", (code, signal) => resolve({ code, signal }));
  }).finally(() => (current = null));
}

async function main() {
  const node24 = path.join(
    execFileSync("bash", [path.join(ROOT, "scripts/ensure-node24.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim(),
    "node",
  );
  const pkgDir = path.join(ROOT, "node_modules/@modelcontextprotocol/conformance");
  const { bin } = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const cliBin = path.join(pkgDir, typeof bin === "string" ? bin : bin.conformance);
  const baselineArgs = hasBaselineEntries() ? ["--expected-failures", BASELINE] : [];
  fs.mkdirSync(path.join(ROOT, "results"), { recursive: true });

  const runs = [];
  if (wantServer) {
    const serverFile = process.env.MCPKIT_CONFORMANCE_SERVER || "examples/conformance-server.ts";
    const port = await freePort();
    log(`starting ${serverFile} on 127.0.0.1:${port} (log: ${path.relative(ROOT, SERVER_LOG)})`);
    const url = await startServer(serverFile, port);
    for (const rev of revisions) {
      runs.push({ name: `server ${rev}`, args: ["server", "--url", url, "--requirements", rev, "-o", `results/server-${rev}`] });
    }
  }
  if (wantClient && !fs.existsSync(CLIENT_FILE)) {
    console.log("client conformance: skipped (no examples/conformance-client.ts yet)");
  } else if (wantClient) {
    // The CLI splits --command on spaces, so these paths must not contain any.
    const command = `${TSX} ${CLIENT_FILE}`;
    for (const rev of revisions) {
      runs.push({ name: `client ${rev}`, args: ["client", "--command", command, "--requirements", rev, "-o", `results/client-${rev}`] });
    }
  }

  const results = [];
  for (const run of runs) {
    if (stopping) break;
    const outDir = run.args[run.args.indexOf("-o") + 1];
    // Stale scenario dirs from earlier runs would make results/ misleading.
    fs.rmSync(path.join(ROOT, outDir), { recursive: true, force: true });
    const started = Date.now();
    const { code, signal } = await runCli(node24, cliBin, [...run.args, ...baselineArgs]);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    log(`conformance ${run.name} finished in ${secs}s`);
    results.push({ ...run, code, signal });
  }
  await stopServer();

  console.log("\n=== conformance summary ===");
  for (const r of results) {
    const verdict = r.code === 0 ? "PASS" : `FAIL (${r.signal ? `signal ${r.signal}` : `exit ${r.code}`})`;
    console.log(`conformance ${r.name}: ${verdict}`);
  }
  return results.every((r) => r.code === 0) ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(`[conformance] error: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
} finally {
  await stopServer();
}
