/**
 * A server lifespan: set up once when the server starts serving, tear down
 * when it closes. Write it as an async generator: code before `yield` is
 * startup, the yielded value is `ctx.lifespan`, code after `yield` (put it in
 * `finally`) is shutdown. A plain (async) function works too when there is
 * nothing to tear down.
 *
 * @example
 * ```ts
 * const mcp = new FastMCP({
 *   name: "db",
 *   lifespan: async function* () {
 *     const db = await connect();
 *     try { yield { db }; } finally { await db.close(); }
 *   },
 * });
 * ```
 */
export type Lifespan<L, S = unknown> =
  | ((server: S) => AsyncGenerator<L, void, undefined>)
  | ((server: S) => L | Promise<L>);

/** A started lifespan: its value and how to end it. */
export interface RunningLifespan<L> {
  readonly value: L;
  stop(): Promise<void>;
}

/** Enter a lifespan. */
export async function startLifespan<L, S>(lifespan: Lifespan<L, S>, server: S): Promise<RunningLifespan<L>> {
  const produced = lifespan(server);
  if (isAsyncGenerator<L>(produced)) {
    const first = await produced.next();
    if (first.done === true) throw new Error("A lifespan generator must yield exactly once");
    return {
      value: first.value,
      stop: async () => {
        await produced.return(undefined);
      },
    };
  }
  return { value: await produced, stop: async () => undefined };
}

function isAsyncGenerator<L>(value: unknown): value is AsyncGenerator<L, void, undefined> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AsyncGenerator).next === "function" &&
    typeof (value as AsyncGenerator).return === "function" &&
    Symbol.asyncIterator in value
  );
}

type Merge<T extends readonly unknown[]> = T extends readonly [infer H, ...infer R] ? H & Merge<R> : unknown;
type Values<T extends readonly Lifespan<unknown, never>[]> = { [K in keyof T]: T[K] extends Lifespan<infer L, never> ? L : never };

/**
 * Compose lifespans: entered left to right, exited in reverse (even when a
 * later one fails to start); their object values merge, later keys winning.
 */
export function combineLifespans<const T extends readonly Lifespan<Record<string, unknown>, never>[]>(
  ...lifespans: T
): Lifespan<Merge<Values<T>>, unknown> {
  return async function* combined(server: unknown) {
    const running: RunningLifespan<Record<string, unknown>>[] = [];
    try {
      for (const lifespan of lifespans) {
        running.push(await startLifespan(lifespan as Lifespan<Record<string, unknown>, unknown>, server));
      }
      yield Object.assign({}, ...running.map((r) => r.value)) as Merge<Values<T>>;
    } finally {
      for (const r of running.reverse()) await r.stop();
    }
  };
}

/**
 * Starts a server's lifespan on first use and stops it on close. A failed
 * start is not remembered, so the next request tries again (a database that
 * was still starting).
 */
export class LifespanRunner<L, S> {
  private run: Promise<RunningLifespan<L>> | undefined;

  constructor(
    private readonly lifespan: Lifespan<L, S> | undefined,
    private readonly server: S,
  ) {}

  /** The running lifespan, started if needed; every entry point awaits this. */
  start(): Promise<RunningLifespan<L>> {
    if (this.run === undefined) {
      const run =
        this.lifespan === undefined
          ? Promise.resolve({ value: {} as L, stop: async () => undefined })
          : startLifespan(this.lifespan, this.server);
      run.catch(() => {
        if (this.run === run) this.run = undefined;
      });
      this.run = run;
    }
    return this.run;
  }

  /** Run the teardown, if the lifespan started. */
  async stop(): Promise<void> {
    const running = this.run;
    this.run = undefined;
    // A lifespan that failed to start has nothing to stop; its error already reached the requests.
    const started = await running?.catch(() => undefined);
    if (started !== undefined) await started.stop();
  }
}
