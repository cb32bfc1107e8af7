import { createConsola } from "consola";

/** Progress and errors: always stderr, so stdout carries only protocol or the requested output. */
// An explicit level: consola would silence info under NODE_ENV=test, and users rely on these lines.
export const log = createConsola({ level: 3, stdout: process.stderr, stderr: process.stderr });

/** A failure the user can fix: one line saying what is wrong and how to fix it, then a non-zero exit. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Print the requested output (stdout). */
export function out(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Run a command body; turn a failure into one stderr line and an exit code. */
export async function guarded(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(message.split("\n")[0]);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  }
}
