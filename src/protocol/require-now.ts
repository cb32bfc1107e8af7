type NodeRequire = (id: string) => unknown;

/**
 * Load a module synchronously, with Node's `require` made for `from` (the
 * caller's `import.meta.url`). `id` is a package specifier or a `file:` URL
 * (an ESM file is loaded as ESM, into the same cache `import` uses). For what
 * must be there at once, before an `await` could load it: throws where there
 * is no Node module API (`process.getBuiltinModule`) or nothing to require
 * from (a bundle without `node_modules`).
 */
export function requireNow(from: string, id: string): unknown {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const nodeModule = getBuiltin?.("node:module") as { createRequire(from: string): NodeRequire } | undefined;
  const nodeUrl = getBuiltin?.("node:url") as { fileURLToPath(url: string): string } | undefined;
  if (nodeModule === undefined || nodeUrl === undefined) throw new Error("no Node module API (process.getBuiltinModule)");
  return nodeModule.createRequire(from)(id.startsWith("file:") ? nodeUrl.fileURLToPath(id) : id);
}
