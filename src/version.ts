import { readFileSync } from "node:fs";

// The package's version, found by walking up from this module: the same code runs from src/ (tsx), dist/ (tsc)
// and dist/bin/ (the bundled CLI), each a different number of folders below package.json.

/** The version in vpce-doctor's package.json, or "unknown" when no such file is above this module. */
export function packageVersion(from: string | URL = import.meta.url): string {
  let dir = new URL(".", from);
  for (let depth = 0; depth < 6; depth++) {
    const version = versionAt(new URL("package.json", dir));
    if (version) return version;
    dir = new URL("..", dir);
  }
  return "unknown";
}

function versionAt(file: URL): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    return pkg.name === "vpce-doctor" ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}
