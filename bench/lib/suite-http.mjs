/**
 * Streamable HTTP: tools/call requests/s and latency at 1, 16 and 64
 * connections, in the modern era (2026-07-28), legacy stateless and legacy
 * sessionful. Load comes from autocannon in this process; each server runs in
 * its own child process.
 */
import autocannon from "autocannon";
import { startHttp } from "./servers.mjs";
import { alternate } from "./stats.mjs";
import { CALLS, checkResult } from "./tools.mjs";
import { httpHeaders, initialize, initialized, parseBody, request } from "./protocol.mjs";

export const MODES = ["modern", "stateless", "sessions"];
export const LEVELS = [1, 16, 64];
const SESSIONS_PER_SERVER = 16;

async function post(url, mode, message, sessionId, version) {
  const name = message.params?.name;
  const res = await fetch(url, { method: "POST", headers: httpHeaders(mode, message.method, name, sessionId, version), body: JSON.stringify(message) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${message.method}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return { res, messages: parseBody(text, res.headers.get("content-type") ?? "") };
}

/** Open a legacy session: initialize, then notifications/initialized. Its id and negotiated version. */
export async function openSession(url) {
  const { res, messages } = await post(url, "sessions", initialize(0));
  const sid = res.headers.get("mcp-session-id");
  const version = messages[0]?.result?.protocolVersion;
  if (!sid || version === undefined) throw new Error(`initialize gave no session: ${JSON.stringify(messages).slice(0, 300)}`);
  await post(url, "sessions", initialized, sid, version);
  return { sid, version };
}

/**
 * Check the three tools answer correctly in this mode. Returns what to load
 * with: the session ids (legacy sessions) and the negotiated version.
 */
async function prepare(url, mode) {
  let sessions = [undefined];
  let version;
  if (mode === "sessions") {
    const opened = await Promise.all(Array.from({ length: SESSIONS_PER_SERVER }, () => openSession(url)));
    sessions = opened.map((o) => o.sid);
    version = opened[0].version;
  } else if (mode === "stateless") {
    // A stateless server must still take an initialize; later requests carry the version it chose.
    const { messages } = await post(url, mode, initialize(0));
    version = messages[0]?.result?.protocolVersion;
    if (version === undefined) throw new Error(`initialize failed: ${JSON.stringify(messages).slice(0, 300)}`);
  }
  for (let i = 0; i < 3; i++) {
    const { messages } = await post(url, mode, request(100 + i, "tools/call", CALLS[i], mode === "modern"), sessions[0], version);
    const answer = messages.find((m) => m.id === 100 + i);
    checkResult(i, answer?.result ?? answer);
  }
  return { sessions, version };
}

/** One autocannon run: { rps, p50, p99 }; any error or non-2xx answer fails it. */
async function load(url, mode, { sessions, version }, connections, seconds) {
  let id = 1000;
  let turn = 0;
  const bodies = CALLS.map((c) => JSON.stringify(request(0, "tools/call", c, mode === "modern")).replace('"id":0', '"id":%ID%'));
  const requests = CALLS.map((c, i) => ({
    method: "POST",
    setupRequest: (req) => {
      const sid = sessions[turn++ % sessions.length];
      req.headers = httpHeaders(mode, "tools/call", c.name, sid, version);
      req.body = bodies[i].replace("%ID%", String(id++));
      return req;
    },
  }));
  const result = await autocannon({ url, connections, duration: seconds, requests, pipelining: 1, timeout: 10 });
  const bad = result.errors + result.timeouts + result.non2xx;
  if (bad > 0) throw new Error(`${bad} failed requests of ${result.requests.total} (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx})`);
  return { rps: result.requests.total / seconds, p50: result.latency.p50, p99: result.latency.p99 };
}

export async function httpSuite(ctx) {
  const seconds = ctx.quick ? 1 : 2;
  const modes = ctx.quick ? ["modern", "stateless"] : MODES;
  for (const mode of modes) {
    // Every server of this mode stays up for all rounds; rounds alternate the order.
    const servers = new Map();
    for (const fw of ctx.frameworks) {
      let server;
      try {
        server = await startHttp(fw, mode);
        servers.set(fw, { server, prepared: await prepare(server.url, mode) });
      } catch (error) {
        ctx.fail(LEVELS.map((c) => `http-${mode}-${c}`), fw, error);
        servers.delete(fw);
        await server?.stop();
      }
    }
    for (const { server, prepared } of servers.values()) await load(server.url, mode, prepared, 16, 0.5).catch(() => undefined); // warm-up
    for (let round = 0; round < ctx.rounds; round++) {
      for (const fw of alternate([...servers.keys()], round)) {
        const { server, prepared } = servers.get(fw);
        for (const c of LEVELS) {
          await ctx.attempt(`http-${mode}-${c}`, fw, async () => {
            const r = await load(server.url, mode, prepared, c, seconds);
            ctx.record(`http-${mode}-${c}-p50`, fw, r.p50);
            ctx.record(`http-${mode}-${c}-p99`, fw, r.p99);
            return r.rps;
          });
        }
      }
    }
    await Promise.all([...servers.values()].map(({ server }) => server.stop()));
  }
}
