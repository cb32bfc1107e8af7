/**
 * What is measured, how it reads, and the targets mcpkit is held to
 * (issue "Benchmarks"). `kind`: "rate" (higher is better, shown as % of raw),
 * "time" (lower is better, shown as × raw), "size" (lower is better).
 */
export const MEASURES = [
  { id: "inproc-client", section: "In-process", label: "tool calls/s through the framework's own in-memory client", unit: "calls/s", kind: "rate" },
  { id: "inproc-direct", section: "In-process", label: "tool calls/s, direct call API (raw: a JSON-RPC message serialised, dispatched, answered and parsed back)", unit: "calls/s", kind: "rate" },
  { id: "stdio-seq", section: "stdio", label: "sequential tools/call", unit: "calls/s", kind: "rate" },
  { id: "stdio-seq-p50", section: "stdio", label: "sequential tools/call latency p50", unit: "ms", kind: "time" },
  { id: "stdio-seq-p99", section: "stdio", label: "sequential tools/call latency p99", unit: "ms", kind: "time" },
  { id: "stdio-32", section: "stdio", label: "tools/call with 32 in flight", unit: "calls/s", kind: "rate" },
  ...["modern", "stateless", "sessions"].flatMap((mode) =>
    [1, 16, 64].flatMap((c) => [
      { id: `http-${mode}-${c}`, section: `HTTP ${modeLabel(mode)}`, label: `tools/call, ${c} connection${c > 1 ? "s" : ""}`, unit: "req/s", kind: "rate" },
      { id: `http-${mode}-${c}-p50`, section: `HTTP ${modeLabel(mode)}`, label: `latency p50, ${c} conn.`, unit: "ms", kind: "time" },
      { id: `http-${mode}-${c}-p99`, section: `HTTP ${modeLabel(mode)}`, label: `latency p99, ${c} conn.`, unit: "ms", kind: "time" },
    ]),
  ),
  { id: "list-10", section: "tools/list", label: "tools/list round trip, 10 tools (stdio, p50)", unit: "ms", kind: "time" },
  { id: "list-500", section: "tools/list", label: "tools/list round trip, 500 tools (stdio, p50)", unit: "ms", kind: "time" },
  { id: "cold-start", section: "Start-up", label: "spawn → first tools/list answer (stdio)", unit: "ms", kind: "time" },
  { id: "import", section: "Start-up", label: "import of the server module", unit: "ms", kind: "time" },
  { id: "rss-idle", section: "Memory", label: "RSS of an idle stdio server", unit: "MiB", kind: "size" },
  { id: "session-heap", section: "Memory", label: "heap retained per open legacy HTTP session", unit: "KiB", kind: "size" },
  { id: "session-rss", section: "Memory", label: "RSS growth per open legacy HTTP session", unit: "KiB", kind: "size" },
  { id: "growth", section: "Memory", label: "heap growth after the calls in one session (after GC)", unit: "MiB", kind: "size" },
  { id: "install-packages", section: "Install footprint", label: "packages installed by `npm install <framework> zod`", unit: "pkgs", kind: "size" },
  { id: "install-mb", section: "Install footprint", label: "node_modules size", unit: "MB", kind: "size" },
];

function modeLabel(mode) {
  return { modern: "modern (2026-07-28, stateless)", stateless: "legacy stateless (2025-11-25)", sessions: "legacy sessionful (2025-11-25)" }[mode];
}

const ratio = (v, base) => (Number.isFinite(v) && Number.isFinite(base) && base !== 0 ? v / base : Number.NaN);

/**
 * Targets for mcpkit: each reads medians `m(measure, fw)` and says
 * { value, met } with `value` a short text of what was measured.
 */
export const TARGETS = [
  { what: "in-process, own client: ≥ 60k calls/s and ≥ 6× SDK v2", check: (m) => {
    const v = m("inproc-client", "mcpkit"), x = ratio(v, m("inproc-client", "sdk"));
    return { value: `${Math.round(v)} calls/s, ${x.toFixed(1)}× SDK`, met: v >= 60_000 && x >= 6 };
  } },
  { what: "in-process, direct `mcp.callTool()`: ≥ 80% of raw", check: (m) => pct(ratio(m("inproc-direct", "mcpkit"), m("inproc-direct", "raw")), 0.8) },
  { what: "stdio sequential: ≥ 75% of raw", check: (m) => pct(ratio(m("stdio-seq", "mcpkit"), m("stdio-seq", "raw")), 0.75) },
  { what: "stdio 32 in flight: ≥ 50% of raw", check: (m) => pct(ratio(m("stdio-32", "mcpkit"), m("stdio-32", "raw")), 0.5) },
  ...[1, 16, 64].map((c) => ({ what: `HTTP modern, ${c} conn.: ≥ 50% of raw`, check: (m) => pct(ratio(m(`http-modern-${c}`, "mcpkit"), m(`http-modern-${c}`, "raw")), 0.5) })),
  ...[1, 16, 64].map((c) => ({ what: `HTTP legacy sessionful, ${c} conn.: ≥ 40% of raw`, check: (m) => pct(ratio(m(`http-sessions-${c}`, "mcpkit"), m(`http-sessions-${c}`, "raw")), 0.4) })),
  { what: "tools/list with 500 tools: ≤ 2 ms over raw's round trip", check: (m) => {
    const d = m("list-500", "mcpkit") - m("list-500", "raw");
    return { value: `${d < 0 ? "−" : "+"}${Math.abs(d).toFixed(2)} ms (${m("list-500", "mcpkit").toFixed(2)} ms)`, met: d <= 2 };
  } },
  { what: "cold start: ≤ 1.15× a raw server that imports zod", check: (m) => {
    const x = ratio(m("cold-start", "mcpkit"), m("cold-start", "raw-zod"));
    return { value: `${x.toFixed(2)}×`, met: x <= 1.15 };
  } },
  { what: "memory per idle legacy session: ≤ 16 KiB", check: (m) => {
    const v = m("session-heap", "mcpkit");
    return { value: `${v.toFixed(1)} KiB`, met: v <= 16 };
  } },
  { what: "heap growth over the calls in one session: ≤ 2 MiB", check: (m) => {
    const v = m("growth", "mcpkit");
    return { value: `${v.toFixed(2)} MiB`, met: v <= 2 };
  } },
  ...["redis", "postgres"].map((backend) => ({ what: `storage, ${backend}: the store costs < 10% over the raw driver (1 and 32 callers)`, check: (m) => {
    const a = m("storage-paired-1", backend), b = m("storage-paired-32", backend);
    return { value: `${(a * 100).toFixed(0)}% / ${(b * 100).toFixed(0)}% of raw`, met: a >= 0.9 && b >= 0.9 };
  } })),
  { what: "install: ≤ 20 packages and ≤ 30 MB", check: (m) => {
    const p = m("install-packages", "mcpkit"), mb = m("install-mb", "mcpkit");
    return { value: `${p} packages, ${mb.toFixed(1)} MB`, met: p <= 20 && mb <= 30 };
  } },
];

function pct(x, goal) {
  return { value: `${(x * 100).toFixed(0)}% of raw`, met: x >= goal };
}
