import type { ServerLogLevel } from "./settings.js";

const ORDER: Record<ServerLogLevel, number> = { debug: 0, info: 1, warning: 2, error: 3, silent: 4 };

/** The server's own diagnostics: always stderr, so stdio's stdout carries protocol only. */
export interface ServerLogger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string, error?: unknown): void;
}

/** A stderr logger that drops messages below `level`. */
export function createLogger(name: string, level: ServerLogLevel): ServerLogger {
  const write = (at: ServerLogLevel, message: string) => {
    if (ORDER[at] < ORDER[level]) return;
    console.error(`[${name}] ${at}: ${message}`);
  };
  return {
    debug: (m) => write("debug", m),
    info: (m) => write("info", m),
    warning: (m) => write("warning", m),
    error: (m, e) => write("error", e === undefined ? m : `${m}: ${e instanceof Error ? e.message : String(e)}`),
  };
}
