import { existsSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { cliProcess, motoEnv } from "./cli-harness.js";
import { buildWorld, fixtureClients } from "./world.js";

// The bundled CLI (dist/bin/cli.js, what `vpce-doctor` runs; `npm run build` makes it, as CI does before this
// suite) diagnoses through the real SDK like the source does: the bundle loads the AWS clients on demand.

const motoUrl = inject("motoUrl");
const BIN = "dist/bin/cli.js";

describe("the bundled CLI", () => {
  it("exists: npm run build writes it", () => {
    expect(existsSync(BIN), `${BIN} is missing: run npm run build before npm run test:aws`).toBe(true);
  });

  it("diagnoses a moto endpoint live, with the same verdict as the source entry point", async () => {
    const world = await buildWorld(fixtureClients(motoUrl, "us-east-1"), { dnsHostnames: false });
    const argv = ["diagnose", world.endpointId, "--region", "us-east-1", "--json"];
    const bundled = await cliProcess(argv, motoEnv(motoUrl), [BIN]);
    const source = await cliProcess(argv, motoEnv(motoUrl));
    expect(bundled.code).toBe(1);
    expect(bundled.json.verdict).toEqual(source.json.verdict);
    expect(bundled.json.stats.awsCalls).toBe(source.json.stats.awsCalls);
  });

  it("diagnoses a saved snapshot offline and prints its version", async () => {
    const offline = await cliProcess(["diagnose", "--snapshot", "examples/healthy-hub-and-spoke.json"], {}, [
      BIN,
    ]);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/HEALTHY/);
    const version = await cliProcess(["--version"], {}, [BIN]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
