/**
 * Progress and errors: always stderr, so stdout carries only protocol or the
 * requested output. Plain lines with a marker; colour only on a terminal.
 */
export const log = {
  info: (message: string) => line("ℹ", 36, message),
  success: (message: string) => line("✔", 32, message),
  warn: (message: string) => line("⚠", 33, message),
  error: (message: string) => line("✖", 31, message),
};

function line(marker: string, colour: number, message: string): void {
  const tty = process.stderr.isTTY === true && process.env.NO_COLOR === undefined;
  process.stderr.write(`${tty ? `\u001b[${colour}m${marker}\u001b[39m` : marker} ${message}\n`);
}

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
    log.error(message.split("\n")[0] ?? message);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  }
}
