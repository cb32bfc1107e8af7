import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;

describe("examples", () => {
  it("runs the weather demo over stdio and prints every result", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/demo.ts"], { cwd: root, timeout: 30_000 });
    expect(stdout).toContain("Connected to Weather 1.0.0");
    expect(stdout).toContain("- get_forecast: Return a short forecast for a city.");
    expect(stdout).toContain('list_cities -> {"result":["paris","london","tokyo"]}');
    expect(stdout).toContain('get_forecast(Paris, 2) -> {"city":"Paris","days":2,"summary":"sunny","highC":21}');
    expect(stdout).toContain("get_forecast(Atlantis) -> isError: true - No forecast for 'Atlantis'");
    expect(stdout).toContain('weather://tokyo/current -> {"city":"tokyo","summary":"cloudy","highC":24}');
    expect(stdout).toContain("plan_trip(London) -> Check the forecast for London");
  });

  it("keeps the README's set-up and test commands wired to package scripts", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };
    expect(readme).toContain("npm install\nnpm run demo");
    expect(readme).toContain("npm test");
    expect(pkg.scripts.demo).toBe("tsx examples/demo.ts");
    expect(pkg.scripts.test).toBe("vitest run");
  });
});
