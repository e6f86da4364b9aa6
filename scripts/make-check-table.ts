import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CHECKS } from "../src/checks/registry.js";
import { withCheckTable } from "../src/render/check-table.js";

// Rewrites the check table in README.md from the registry (test/render/check-table.test.ts fails on drift).

const README = fileURLToPath(new URL("../README.md", import.meta.url));
writeFileSync(README, withCheckTable(readFileSync(README, "utf8"), CHECKS));
console.log(`README.md: check table written (${CHECKS.length} checks)`);
