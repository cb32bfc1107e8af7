const LOADING = Symbol.for("mcpkit.cli.loading");

/**
 * While the `mcpkit` CLI imports a server file to find its server, `run()`
 * returns at once: the CLI serves the server with its own options.
 */
export function isCliLoading(): boolean {
  return (globalThis as Record<symbol, unknown>)[LOADING] === true;
}

/** Run `load` with `run()` disarmed (for the CLI). */
export async function whileCliLoading<T>(load: () => Promise<T>): Promise<T> {
  const scope = globalThis as Record<symbol, unknown>;
  scope[LOADING] = true;
  try {
    return await load();
  } finally {
    delete scope[LOADING];
  }
}
