/** Child process: print how many ms importing the given module takes (a server module that does not start when imported). */
import { pathToFileURL } from "node:url";

const start = performance.now();
await import(pathToFileURL(process.argv[2]).href);
process.stdout.write(`${performance.now() - start}\n`);
process.exit(0);
