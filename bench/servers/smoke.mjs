/**
 * Self-check of the benchmark servers and in-process adapters.
 *
 *   node bench/servers/smoke.mjs [--only raw,mcpkit,...] [--verbose]
 *
 * For every framework: stdio (handshake, tools/list with 3 and 10 tools, the
 * three calls), each HTTP mode (the request shapes the harness sends), and
 * every bench/inproc adapter. Prints OK / UNSUPPORTED / FAIL with the reason,
 * plus the quirks seen (SSE answers, session headers, negotiated versions...).
 * Exits 1 if anything failed.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseBody } from "../lib/protocol.mjs";

const FRAMEWORKS = ["raw", "raw-zod", "mcpkit", "sdk", "fastmcp", "tmcp", "mcp-lite"];
const LEGACY = "2025-11-25";
const MODERN = "2026-07-28";
const clientInfo = { name: "bench-smoke", version: "1.0.0" };
const META = {
  "io.modelcontextprotocol/protocolVersion": MODERN,
  "io.modelcontextprotocol/clientInfo": clientInfo,
  "io.modelcontextprotocol/clientCapabilities": {},
};

const CALLS = [
  { name: "add", arguments: { a: 2, b: 3 } },
  { name: "echo", arguments: { text: "hello, bench" } },
  { name: "calc", arguments: { a: 6, b: 7 } },
];

const { values: opts } = parseArgs({ options: { only: { type: "string" }, verbose: { type: "boolean", default: false } } });
const only = opts.only ? opts.only.split(",") : FRAMEWORKS;
const here = (p) => fileURLToPath(new URL(p, import.meta.url));

/** Throws unless `result` is the right CallToolResult for CALLS[i]. */
function checkResult(i, result) {
  const text = result?.content?.[0]?.text;
  if (i === 0 && text === "5") return;
  if (i === 1 && text === "hello, bench") return;
  if (i === 2) {
    const sc = result?.structuredContent;
    if (sc?.sum === 13 && sc?.product === 42) {
      const fromText = typeof text === "string" ? JSON.parse(text) : undefined;
      if (fromText !== undefined && (fromText.sum !== 13 || fromText.product !== 42)) throw new Error(`calc text block disagrees: ${text}`);
      return;
    }
  }
  throw new Error(`${CALLS[i].name} answered ${JSON.stringify(result).slice(0, 300)}`);
}

function checkList(result, expected) {
  const tools = result?.tools;
  if (!Array.isArray(tools) || tools.length !== expected) throw new Error(`tools/list gave ${tools?.length} tools, expected ${expected}: ${JSON.stringify(result).slice(0, 200)}`);
  const names = tools.map((t) => t.name);
  for (const n of ["add", "echo", "calc", ...(expected > 3 ? [`tool_${expected - 1}`] : [])]) if (!names.includes(n)) throw new Error(`tools/list lacks ${n}`);
  const calc = tools.find((t) => t.name === "calc");
  if (calc.outputSchema?.properties?.sum === undefined) throw new Error(`calc has no outputSchema: ${JSON.stringify(calc)}`);
  const filler = tools.find((t) => t.name === "tool_3");
  if (filler !== undefined && filler.inputSchema?.properties?.tags?.type !== "array") throw new Error(`tool_3 schema: ${JSON.stringify(filler.inputSchema)}`);
}

// --- stdio -----------------------------------------------------------------

function spawnServer(fw, args) {
  const child = spawn(process.execPath, [here(`./${fw}.mjs`), ...args], { stdio: ["pipe", "pipe", "pipe"] });
  const state = { stdout: "", stderr: "", lines: [], garbage: [] };
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (c) => (state.stderr += c));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { child, state, exited };
}

async function stop(server) {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGTERM");
  const t = setTimeout(() => server.child.kill("SIGKILL"), 3000);
  const r = await server.exited;
  clearTimeout(t);
  return r;
}

async function stdioCheck(fw, tools) {
  const server = spawnServer(fw, ["stdio", "--tools", String(tools)]);
  const pending = new Map();
  let buffer = "";
  server.child.stdout.on("data", (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim() === "") continue;
      let m;
      try {
        m = JSON.parse(line);
      } catch {
        server.state.garbage.push(line);
        continue;
      }
      if (m.id !== undefined && pending.has(m.id)) {
        pending.get(m.id)(m);
        pending.delete(m.id);
      }
    }
  });
  const early = server.exited.then((r) => ({ exited: r }));
  let id = 0;
  const send = async (method, params) => {
    const myId = ++id;
    const answer = new Promise((resolve) => pending.set(myId, resolve));
    server.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: myId, method, ...(params ? { params } : {}) })}\n`);
    const timeout = new Promise((resolve) => setTimeout(() => resolve({ timeout: true }), 10_000));
    const r = await Promise.race([answer, early, timeout]);
    if (r.exited) {
      const err = new Error(r.exited.code === 3 ? server.state.stderr.trim() : `exited ${JSON.stringify(r.exited)}: ${server.state.stderr.slice(-500)}`);
      err.unsupported = r.exited.code === 3;
      throw err;
    }
    if (r.timeout) throw new Error(`${method}: no answer in 10 s ${server.state.stderr.slice(-300)}`);
    if (r.error) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.result;
  };
  const notes = [];
  try {
    const init = await send("initialize", { protocolVersion: LEGACY, capabilities: {}, clientInfo });
    if (init.protocolVersion !== LEGACY) notes.push(`initialize negotiates ${init.protocolVersion}`);
    server.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
    checkList(await send("tools/list"), tools);
    for (let i = 0; i < 3; i++) checkResult(i, await send("tools/call", CALLS[i]));
    // 32 in flight, as the harness does.
    const burst = await Promise.all(Array.from({ length: 32 }, (_, k) => send("tools/call", CALLS[k % 3])));
    burst.forEach((r, k) => checkResult(k % 3, r));
    if (server.state.garbage.length > 0) throw new Error(`non-JSON on stdout: ${server.state.garbage[0].slice(0, 200)}`);
    // stdin closed: the server must exit by itself.
    server.child.stdin.end();
    const t = setTimeout(() => server.child.kill("SIGKILL"), 3000);
    const r = await server.exited;
    clearTimeout(t);
    if (r.signal === "SIGKILL") notes.push("does not exit when stdin closes");
    return { status: "OK", notes };
  } finally {
    await stop(server);
  }
}

// --- HTTP ------------------------------------------------------------------

async function startHttp(fw, mode, tools) {
  const server = spawnServer(fw, ["http", "--port", "0", "--mode", mode, "--tools", String(tools)]);
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no READY in 15 s: ${server.state.stderr.slice(-500)}`)), 15_000);
    server.child.stdout.on("data", (c) => {
      server.state.stdout += c;
      const m = /^READY (\d+)\n/.exec(server.state.stdout);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void server.exited.then(({ code }) => {
      clearTimeout(timer);
      const err = new Error(code === 3 ? server.state.stderr.trim() : `exited ${code} before READY: ${server.state.stderr.slice(-500)}`);
      err.unsupported = code === 3;
      reject(err);
    });
  });
  return { server, url: `http://127.0.0.1:${port}/mcp` };
}

/** One POST as the harness builds it. Returns { status, headers, messages, contentType }. */
async function post(url, mode, message, { sessionId, protocolVersion } = {}) {
  const headers = {
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
    "mcp-protocol-version": protocolVersion ?? (mode === "modern" ? MODERN : LEGACY),
  };
  if (mode === "modern") {
    headers["mcp-method"] = message.method;
    if (message.params?.name !== undefined) headers["mcp-name"] = message.params.name;
  }
  if (sessionId !== undefined) headers["mcp-session-id"] = sessionId;
  const res = await fetch(url, { method: "POST", headers, body: JSON.stringify(message) });
  const text = await res.text();
  const contentType = res.headers.get("content-type") ?? "";
  let messages = [];
  try {
    messages = parseBody(text, contentType);
  } catch {
    messages = [{ unparsable: text.slice(0, 200) }];
  }
  return { status: res.status, headers: res.headers, messages, contentType, text };
}

const req = (id, method, params, modern) => ({ jsonrpc: "2.0", id, method, params: modern ? { ...(params ?? {}), _meta: META } : (params ?? {}) });

async function rpc(url, mode, message, options) {
  const r = await post(url, mode, message, options);
  const answer = r.messages.find((m) => m.id === message.id);
  if (r.status >= 300 || answer === undefined || answer.error !== undefined) {
    throw new Error(`${message.method}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  }
  return { result: answer.result, r };
}

async function httpCheck(fw, mode, tools) {
  let started;
  try {
    started = await startHttp(fw, mode, tools);
  } catch (error) {
    if (error.unsupported) return { status: "UNSUPPORTED", notes: [error.message] };
    throw error;
  }
  const { server, url } = started;
  const notes = [];
  const kinds = new Set();
  const seen = (r) => kinds.add(r.contentType.includes("event-stream") ? "SSE" : r.contentType.split(";")[0] || `(none, ${r.status})`);
  try {
    if (mode === "modern") {
      const list = await rpc(url, mode, req(1, "tools/list", {}, true));
      seen(list.r);
      checkList(list.result, tools);
      for (let i = 0; i < 3; i++) {
        const { result, r } = await rpc(url, mode, req(10 + i, "tools/call", CALLS[i], true));
        seen(r);
        checkResult(i, result);
        if (result.resultType !== "complete") notes.push(`tools/call result has no resultType`);
      }
      const discover = await post(url, mode, req(20, "server/discover", {}, true));
      const d = discover.messages.find((m) => m.id === 20);
      if (d?.result?.supportedVersions?.includes(MODERN)) notes.push("server/discover OK");
      else notes.push(`server/discover: HTTP ${discover.status} ${discover.text.slice(0, 120)}`);
    } else if (mode === "stateless") {
      // The harness: one initialize, then tools/call POSTs standing alone (no session id), version header 2025-11-25.
      const init = await rpc(url, mode, req(0, "initialize", { protocolVersion: LEGACY, capabilities: {}, clientInfo }));
      seen(init.r);
      if (init.result.protocolVersion !== LEGACY) notes.push(`initialize negotiates ${init.result.protocolVersion}`);
      if (init.r.headers.get("mcp-session-id")) notes.push("initialize still returns an Mcp-Session-Id (ignored)");
      let version;
      try {
        const list = await rpc(url, mode, req(1, "tools/list"));
        seen(list.r);
        checkList(list.result, tools);
      } catch (error) {
        // A server that negotiated an older revision may want that in the header.
        version = init.result.protocolVersion;
        if (version === LEGACY) throw error;
        const list = await rpc(url, mode, req(1, "tools/list"), { protocolVersion: version });
        checkList(list.result, tools);
        notes.push(`rejects header mcp-protocol-version: ${LEGACY} (${error.message.slice(0, 140)}); works with the negotiated ${version}`);
      }
      for (let i = 0; i < 3; i++) {
        const { result, r } = await rpc(url, mode, req(10 + i, "tools/call", CALLS[i]), { protocolVersion: version });
        seen(r);
        checkResult(i, result);
        if (r.headers.get("mcp-session-id") && i === 0) notes.push("tools/call answers carry an Mcp-Session-Id");
      }
      // Without any version header at all?
    } else {
      const init = await rpc(url, mode, req(0, "initialize", { protocolVersion: LEGACY, capabilities: {}, clientInfo }));
      seen(init.r);
      const sid = init.r.headers.get("mcp-session-id");
      if (!sid) throw new Error("initialize returned no Mcp-Session-Id");
      const negotiated = init.result.protocolVersion;
      if (negotiated !== LEGACY) notes.push(`initialize negotiates ${negotiated}`);
      let version;
      const initialized = await post(url, mode, { jsonrpc: "2.0", method: "notifications/initialized" }, { sessionId: sid });
      if (initialized.status !== 202 && initialized.status !== 200) {
        if (negotiated === LEGACY) throw new Error(`notifications/initialized: HTTP ${initialized.status} ${initialized.text.slice(0, 200)}`);
        version = negotiated;
        const again = await post(url, mode, { jsonrpc: "2.0", method: "notifications/initialized" }, { sessionId: sid, protocolVersion: version });
        if (again.status >= 300) throw new Error(`notifications/initialized: HTTP ${again.status} ${again.text.slice(0, 200)}`);
        notes.push(`rejects header mcp-protocol-version: ${LEGACY} after negotiating ${negotiated} (HTTP ${initialized.status}); the negotiated version works`);
      }
      const list = await rpc(url, mode, req(1, "tools/list"), { sessionId: sid, protocolVersion: version });
      seen(list.r);
      checkList(list.result, tools);
      for (let i = 0; i < 3; i++) {
        const { result, r } = await rpc(url, mode, req(10 + i, "tools/call", CALLS[i]), { sessionId: sid, protocolVersion: version });
        seen(r);
        checkResult(i, result);
      }
      // A second session must be independent, and a request with no / an unknown session id refused.
      const init2 = await rpc(url, mode, req(30, "initialize", { protocolVersion: LEGACY, capabilities: {}, clientInfo }));
      if (init2.r.headers.get("mcp-session-id") === sid) throw new Error("two sessions got the same id");
      const none = await post(url, mode, req(31, "tools/call", CALLS[0]), { protocolVersion: version });
      if (none.status < 400) notes.push(`a request without Mcp-Session-Id is served (HTTP ${none.status})`);
      const unknown = await post(url, mode, req(32, "tools/call", CALLS[0]), { sessionId: "no-such-session", protocolVersion: version });
      if (unknown.status !== 404) notes.push(`an unknown Mcp-Session-Id gets HTTP ${unknown.status}, not 404`);
    }
    const extra = server.state.stdout.replace(/^READY \d+\n/, "");
    if (extra !== "") throw new Error(`stdout has more than the READY line: ${extra.slice(0, 200)}`);
    notes.unshift(`answers: ${[...kinds].join(", ")}`);
    return { status: "OK", notes };
  } finally {
    const { code, signal } = await stop(server);
    if (code !== 0 && signal !== "SIGTERM") notes.push(`SIGTERM exit: code ${code}, signal ${signal}`);
    if (opts.verbose && server.state.stderr.trim() !== "") notes.push(`stderr: ${server.state.stderr.trim().slice(0, 300)}`);
  }
}

// --- in-process adapters -----------------------------------------------------

async function inprocCheck(name) {
  const mod = await import(pathToFileURL(here(`../inproc/${name}.mjs`)).href);
  const target = await mod.open({ tools: 10 });
  try {
    const list = await target.list();
    const tools = Array.isArray(list) ? { tools: list } : list;
    checkList(tools, 10);
    for (let i = 0; i < 3; i++) checkResult(i, await target.call(CALLS[i].name, CALLS[i].arguments));
    const burst = await Promise.all(Array.from({ length: 30 }, (_, k) => target.call(CALLS[k % 3].name, CALLS[k % 3].arguments)));
    burst.forEach((r, k) => checkResult(k % 3, r));
  } finally {
    await target.close();
  }
  return { status: "OK", notes: [] };
}

// --- run -------------------------------------------------------------------

const rows = [];
async function attempt(fw, what, fn) {
  const t = performance.now();
  let row;
  try {
    row = await fn();
  } catch (error) {
    row = error.unsupported ? { status: "UNSUPPORTED", notes: [error.message] } : { status: "FAIL", notes: [error.message] };
  }
  rows.push({ fw, what, ...row, ms: Math.round(performance.now() - t) });
  const r = rows.at(-1);
  process.stdout.write(`${r.status.padEnd(11)} ${fw.padEnd(18)} ${what.padEnd(16)} ${r.notes.join("; ")}\n`);
}

for (const fw of only) {
  if (!existsSync(here(`./${fw}.mjs`))) {
    rows.push({ fw, what: "-", status: "FAIL", notes: ["no server file"] });
    continue;
  }
  await attempt(fw, "stdio", () => stdioCheck(fw, 3));
  if (rows.at(-1).status === "OK") await attempt(fw, "stdio --tools 10", () => stdioCheck(fw, 10));
  for (const mode of ["modern", "stateless", "sessions"]) {
    await attempt(fw, `http ${mode}`, () => httpCheck(fw, mode, 10));
  }
}

const inprocDir = here("../inproc/");
const adapters = existsSync(inprocDir)
  ? readdirSync(inprocDir)
      .filter((f) => f.endsWith(".mjs"))
      .map((f) => f.slice(0, -4))
      .filter((n) => only.some((fw) => n === fw || n.startsWith(`${fw}-`)))
  : [];
for (const name of adapters) await attempt(name, "inproc", () => inprocCheck(name));

const failed = rows.filter((r) => r.status === "FAIL");
process.stdout.write(`\n${rows.length} checks: ${rows.filter((r) => r.status === "OK").length} OK, ${rows.filter((r) => r.status === "UNSUPPORTED").length} UNSUPPORTED, ${failed.length} FAIL\n`);
process.exit(failed.length > 0 ? 1 : 0);
