import { defineCommand } from "citty";
import { cliBinPath } from "../bin-path.js";
import { serveArgs } from "../serve-args.js";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, watch, type FSWatcher } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseServerSpec } from "../load-server.js";
import { CliError, guarded, log } from "../output.js";

/**
 * `mcpkit dev server.ts`: serve over HTTP and restart on every change to the
 * server's folder. The old process drains its in-flight calls before the new
 * one starts; clients keep their URL (HTTP is stateless by default).
 */
export const dev = defineCommand({
  meta: { name: "dev", description: "Serve a server file over HTTP and reload it when its folder changes (e.g. mcpkit dev server.ts)" },
  args: {
    ...serveArgs,
  },
  run: ({ args }) =>
    guarded(async () => {
      const { file } = parseServerSpec(args.server);
      if (!existsSync(file)) throw new CliError(`No such file: ${file}`);
      const bin = cliBinPath();
      const runArgs = [bin, "run", args.server, "--transport", "http", "--host", args.host, "--port", args.port, "--path", args.path];
      if (args["env-file"] !== undefined) runArgs.push("--env-file", args["env-file"]);
      const url = `http://${args.host}:${args.port}${args.path}`;

      let child: ChildProcess | undefined;
      const start = () => {
        child = spawn(process.execPath, runArgs, { stdio: ["ignore", "inherit", "inherit"] });
      };
      const stop = async () => {
        const running = child;
        child = undefined;
        if (running === undefined || running.exitCode !== null) return;
        // SIGTERM: the server finishes its in-flight calls, then exits.
        const exited = new Promise((done) => running.once("exit", done));
        running.kill("SIGTERM");
        await exited;
      };

      start();
      log.info(`Serving ${file} at ${url} (reloads on change; Ctrl-C to stop)`);
      log.info(`Inspect it: npx @modelcontextprotocol/inspector, then connect to ${url} (Streamable HTTP)`);

      let pending: ReturnType<typeof setTimeout> | undefined;
      let restarting = Promise.resolve();
      const watcher: FSWatcher = watch(dirname(resolve(file)), { recursive: true }, (_event, name) => {
        if (name !== null && /(^|[/\\])(node_modules|\.git|dist)([/\\]|$)/.test(name)) return;
        // Editors write in bursts: restart once the burst is over.
        clearTimeout(pending);
        pending = setTimeout(() => {
          restarting = restarting.then(async () => {
            log.info(`Change in ${name ?? "the server's folder"}: reloading`);
            await stop();
            start();
          });
        }, 150);
      });

      await new Promise<void>((resolveStop) => {
        const shutdown = () => resolveStop();
        process.once("SIGINT", shutdown);
        process.once("SIGTERM", shutdown);
      });
      watcher.close();
      clearTimeout(pending);
      await restarting;
      await stop();
    }),
});
