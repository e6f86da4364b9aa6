import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { posix } from "node:path";
import { describe, expect, it } from "vitest";

// The Dockerfile's essentials, checked statically: no Docker engine runs here. A small parser turns
// the Dockerfile into instructions; each check returns the problems it finds, so the same checks run
// on the real files (no problems) and on broken copies of them (a problem each).

const root = new URL("../", import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), "utf8");
const inRepo = (path: string): boolean => existsSync(new URL(path, root));

// ---------------------------------------------------------------------------------------------------
// Dockerfile parsing

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Instructions, with line continuations joined and comment and blank lines dropped (as Docker does). */
function parseDockerfile(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  let escapeChar = "\\";
  // Parser directives: `# name=value` lines before anything else.
  for (const line of lines) {
    const directive = /^#\s*(\w+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!directive) break;
    if (directive[1]!.toLowerCase() === "escape") escapeChar = directive[2]!;
  }
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return; // also inside a continuation
    const continued = raw.trimEnd().endsWith(escapeChar);
    const part = continued ? raw.trimEnd().slice(0, -escapeChar.length) : raw;
    pending = pending
      ? { ...pending, text: `${pending.text} ${part.trim()}` }
      : { text: part.trim(), line: index + 1 };
    if (continued) return;
    const [keyword = "", ...rest] = pending.text.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(" ").trim(), line: pending.line });
    pending = undefined;
  });
  if (pending) throw new Error(`Dockerfile ends inside a continued line (line ${pending.line})`);
  return instructions;
}

/** `["a", "b"]` (exec form) as an array, anything else (shell form) as undefined. */
function execForm(args: string): string[] | undefined {
  if (!args.startsWith("[")) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((x) => typeof x === "string") ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Leading `--name=value` / `--name` flags, and the words after them. */
function withFlags(args: string): { flags: Map<string, string>; rest: string } {
  const flags = new Map<string, string>();
  let rest = args.trim();
  for (let m = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest); m; m = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest)) {
    flags.set(m[1]!, m[2] ?? "");
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** Whitespace-separated words; double or single quotes group (also mid-word), and are removed. */
function words(text: string): string[] {
  return [...text.matchAll(/(?:[^\s"']+|"(?:[^"\\]|\\.)*"|'[^']*')+/g)].map((m) =>
    m[0].replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, (_, double?: string, single?: string) =>
      double !== undefined ? double.replace(/\\(.)/g, "$1") : (single ?? ""),
    ),
  );
}

/** ENV's variables, in both the `k=v k2=v2` and the legacy `k v` forms. */
function envOf(args: string): Map<string, string> {
  const [first = ""] = words(args);
  if (!first.includes("=")) return new Map([[first, args.trim().slice(first.length).trim()]]);
  return new Map(
    words(args).map((word) => [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)]),
  );
}

interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const [image = "", as, name] = words(withFlags(instruction.args).rest);
      stages.push({ image, ...(as?.toUpperCase() === "AS" && name ? { name } : {}), instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** A COPY's (or ADD's) sources and flags; the destination is the last word. */
function copyOf(instruction: Instruction): { from?: string; sources: string[]; dest: string } {
  const { flags, rest } = withFlags(instruction.args);
  const all = execForm(rest) ?? words(rest);
  const from = flags.get("from");
  return { ...(from ? { from } : {}), sources: all.slice(0, -1), dest: all.at(-1) ?? "" };
}

// ---------------------------------------------------------------------------------------------------
// .dockerignore, with Docker's semantics: patterns in order, the last one matching a path or any of
// its parent folders decides; `!` lets back in; `*` and `?` stop at `/`, `**` crosses folders.

interface IgnoreRule {
  glob: string;
  exception: boolean;
  pattern: RegExp;
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*" && glob[i + 1] === "*") {
      i++;
      if (glob[i + 1] === "/") {
        i++;
        source += "(?:.*/)?";
      } else {
        source += ".*";
      }
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else if (ch === "\\" && i + 1 < glob.length) source += `\\${glob[++i]}`;
    else source += /[.+^${}()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`^${source}$`);
}

function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const exception = line.startsWith("!");
      const cleaned = posix
        .normalize(exception ? line.slice(1).trim() : line)
        .replace(/^\/+/, "")
        .replace(/\/+$/, "");
      return { glob: cleaned, exception, pattern: globToRegExp(cleaned) };
    });
}

/** Whether `path` (relative to the context, `/`-separated) is left out of the build context. */
function ignored(rules: IgnoreRule[], path: string): boolean {
  const parts = posix
    .normalize(path)
    .replace(/^\.\/|\/$/g, "")
    .split("/");
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  let excluded = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) excluded = !rule.exception;
  }
  return excluded;
}

// ---------------------------------------------------------------------------------------------------
// The checks

interface Setup {
  dockerfile: string;
  dockerignore: string;
}

const REAL: Setup = { dockerfile: read("Dockerfile"), dockerignore: read(".dockerignore") };

const packageJson = JSON.parse(read("package.json")) as { scripts: Record<string, string> };

function defaultPort(): number {
  const match = /const DEFAULT_PORT = (\d+);/.exec(read("src/slack/settings.ts"));
  if (!match) throw new Error("src/slack/settings.ts no longer declares `const DEFAULT_PORT = <n>;`");
  return Number(match[1]);
}

/** The last FROM stage: the image that runs. */
function finalStage(setup: Setup): Stage {
  const stages = stagesOf(parseDockerfile(setup.dockerfile));
  const last = stages.at(-1);
  if (!last) throw new Error("the Dockerfile has no FROM");
  return last;
}

const lastOf = (stage: Stage, keyword: string): Instruction | undefined =>
  stage.instructions.filter((i) => i.keyword === keyword).at(-1);

const envIn = (stage: Stage): Map<string, string> =>
  new Map(stage.instructions.filter((i) => i.keyword === "ENV").flatMap((i) => [...envOf(i.args)]));

const NODE_SLIM = /^(?:(?:docker\.io\/)?library\/)?node:(\d+)-slim(?:@sha256:[0-9a-f]{64})?$/;
const NODE_ANY = /^(?:(?:docker\.io\/)?library\/)?node:(\d+)(?:[-.][\w.-]*)?(?:@sha256:[0-9a-f]{64})?$/;
const INSTALL = /\bnpm\s+(?:ci|install|i|add)\b[^&|;]*/g;

/** Each check's name, as the tests report it. */
const T = {
  stages: "builds in a named stage and runs on node:<LTS>-slim, an even major >= 26",
  dist: "builds from the lockfile and ships dist/ from the build stage",
  prodDeps: "installs production dependencies only in the runtime stage",
  user: "runs as a non-root user",
  health: "health-checks GET /healthz on PORT with node itself",
  start: "starts node dist/main.js in exec form, on the default port",
  nodeEnv: "sets NODE_ENV=production",
  signal: "lets docker stop's SIGTERM reach node, with no npm in between",
  ignore: ".dockerignore keeps node_modules, .git, dist, tests and .env files out of the context",
  context: "copies from the context only files that exist and are not ignored",
} as const;

const CHECKS: Record<string, (setup: Setup) => string[]> = {
  [T.stages]: (setup: Setup) => {
    const stages = stagesOf(parseDockerfile(setup.dockerfile));
    const problems: string[] = [];
    if (stages.length < 2) return [`${stages.length} FROM stage(s); a build and a runtime stage are needed`];
    const final = stages.at(-1)!;
    const major = Number(NODE_SLIM.exec(final.image)?.[1]);
    if (!NODE_SLIM.test(final.image)) problems.push(`final image ${final.image} is not node:<major>-slim`);
    else if (major % 2 !== 0 || major < 26) problems.push(`node ${major} is not an LTS line >= 26`);
    for (const stage of stages.slice(0, -1)) {
      if (Number.isInteger(major) && Number(NODE_ANY.exec(stage.image)?.[1]) !== major) {
        problems.push(`stage ${stage.name ?? stage.image} builds on ${stage.image}, not node ${major}`);
      }
    }
    const names = new Set(stages.slice(0, -1).flatMap((s) => (s.name ? [s.name] : [])));
    const froms = final.instructions.filter((i) => i.keyword === "COPY" && copyOf(i).from);
    if (froms.length === 0) problems.push("the runtime stage copies nothing from a build stage");
    for (const copy of froms) {
      if (!names.has(copyOf(copy).from!)) {
        problems.push(`line ${copy.line}: --from=${copyOf(copy).from} is not a named earlier stage`);
      }
    }
    return problems;
  },

  [T.dist]: (setup: Setup) => {
    const stages = stagesOf(parseDockerfile(setup.dockerfile));
    const final = stages.at(-1)!;
    const problems: string[] = [];
    const distCopy = final.instructions.find(
      (i) =>
        i.keyword === "COPY" && copyOf(i).from && copyOf(i).sources.some((s) => posix.basename(s) === "dist"),
    );
    const builder = stages.find(
      (s) => s.name !== undefined && s.name === (distCopy && copyOf(distCopy).from),
    );
    if (!distCopy || !builder) return ["the runtime stage does not COPY --from=<build stage> its dist/"];
    const runs = builder.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args);
    if (!runs.some((r) => /\bnpm ci\b/.test(r))) problems.push(`stage ${builder.name} does not run npm ci`);
    if (!runs.some((r) => /\bnpm run build\b/.test(r)))
      problems.push(`stage ${builder.name} does not npm run build`);
    // prestart builds only when dist/main.js is missing: it must be there, under WORKDIR/dist.
    // COPY puts a folder's contents at the destination, so that must be WORKDIR/dist itself.
    const workdir = lastOf(final, "WORKDIR")?.args ?? "/";
    const dest = posix.resolve(workdir, copyOf(distCopy).dest);
    if (dest !== posix.resolve(workdir, "dist")) {
      problems.push(`dist/ lands in ${dest}, not ${posix.resolve(workdir, "dist")} where CMD runs node`);
    }
    if (!/test -f dist\/main\.js/.test(packageJson.scripts.prestart ?? "")) {
      problems.push("package.json prestart no longer skips the build when dist/main.js exists");
    }
    return problems;
  },

  [T.prodDeps]: (setup: Setup) => {
    const final = finalStage(setup);
    const installs = final.instructions
      .filter((i) => i.keyword === "RUN")
      .flatMap((i) => [...i.args.matchAll(INSTALL)].map((m) => m[0]));
    if (installs.length === 0) return ["the runtime stage installs no dependencies (npm ci --omit=dev)"];
    return installs
      .filter(
        (cmd) => !/--omit[= ]dev\b/.test(cmd) || /--include[= ]dev\b/.test(cmd) || !/\bnpm ci\b/.test(cmd),
      )
      .map((cmd) => `runtime stage runs \`${cmd.trim()}\`; use npm ci --omit=dev (the lockfile decides)`);
  },

  [T.user]: (setup: Setup) => {
    const final = finalStage(setup);
    const user = lastOf(final, "USER");
    const cmd = lastOf(final, "CMD");
    if (!user) return ["the runtime stage has no USER: it would run as root"];
    const name = user.args.split(":")[0]!.trim();
    const problems = ["root", "0", ""].includes(name) ? [`USER ${user.args} is root`] : [];
    if (cmd && user.line > cmd.line) problems.push("USER comes after CMD");
    return problems;
  },

  [T.health]: (setup: Setup) => {
    const check = lastOf(finalStage(setup), "HEALTHCHECK");
    if (!check || /^NONE\b/i.test(check.args)) return ["no HEALTHCHECK in the runtime stage"];
    const { rest } = withFlags(check.args);
    const command = (execForm(rest.replace(/^CMD\s+/i, "")) ?? [rest]).join(" ");
    const problems: string[] = [];
    if (!/^CMD\s/i.test(rest)) problems.push("HEALTHCHECK has no CMD");
    if (!/\/healthz\b/.test(command)) problems.push("the health check does not request /healthz");
    if (!/process\.env\.PORT|\$PORT|\$\{PORT/.test(command)) problems.push("the health check ignores PORT");
    if (/\b(curl|wget)\b/.test(command)) problems.push("slim images have neither curl nor wget");
    return problems;
  },

  [T.start]: (setup: Setup) => {
    const final = finalStage(setup);
    const cmd = lastOf(final, "CMD");
    const problems: string[] = [];
    if (JSON.stringify(cmd && execForm(cmd.args)) !== JSON.stringify(["node", "dist/main.js"])) {
      problems.push(`CMD is ${cmd?.args ?? "missing"}, not ["node", "dist/main.js"]`);
    }
    if (lastOf(final, "ENTRYPOINT"))
      problems.push("an ENTRYPOINT replaces the base image's, which execs CMD");
    const exposed = final.instructions
      .filter((i) => i.keyword === "EXPOSE")
      .flatMap((i) => words(i.args).map((p) => Number(p.replace(/\/tcp$/, ""))));
    if (!exposed.includes(defaultPort()))
      problems.push(`EXPOSE ${exposed} misses PORT's default ${defaultPort()}`);
    return problems;
  },

  [T.nodeEnv]: (setup: Setup) => {
    const value = envIn(finalStage(setup)).get("NODE_ENV");
    return value === "production" ? [] : [`NODE_ENV is ${value ?? "unset"} in the runtime stage`];
  },

  [T.signal]: (setup: Setup) => {
    const final = finalStage(setup);
    const problems: string[] = [];
    // Node must be the command itself (exec form, no npm or shell in between) for SIGTERM to reach it.
    const cmd = lastOf(final, "CMD");
    const command = cmd ? execForm(cmd.args) : undefined;
    if (command?.[0] !== "node") problems.push(`CMD ${cmd?.args ?? "missing"} does not start node itself`);
    const stop = lastOf(final, "STOPSIGNAL")?.args;
    if (stop !== undefined && !["SIGTERM", "TERM", "15"].includes(stop)) problems.push(`STOPSIGNAL ${stop}`);
    return problems;
  },

  [T.ignore]: (setup: Setup) => {
    const rules = parseDockerignore(setup.dockerignore);
    const mustStayOut = [
      "node_modules",
      "node_modules/@slack/bolt/package.json",
      ".git",
      ".git/HEAD",
      "dist",
      "dist/main.js",
      "test",
      "test/main.test.ts",
      ".env",
      ".env.production",
      "src/.env",
      "coverage/index.html",
    ];
    return mustStayOut.filter((path) => !ignored(rules, path)).map((path) => `${path} is sent to the daemon`);
  },

  [T.context]: (setup: Setup) => {
    const rules = parseDockerignore(setup.dockerignore);
    const stages = stagesOf(parseDockerfile(setup.dockerfile));
    const problems: string[] = [];
    const copied = new Map<Stage, string[]>();
    for (const stage of stages) {
      for (const instruction of stage.instructions) {
        if (!["COPY", "ADD"].includes(instruction.keyword) || copyOf(instruction).from) continue;
        for (const source of copyOf(instruction).sources) {
          const path = posix.normalize(source).replace(/^\.?\/+|\/+$/g, "") || ".";
          copied.set(stage, [...(copied.get(stage) ?? []), path]);
          if (/[*?[]/.test(path)) problems.push(`line ${instruction.line}: name ${source} without wildcards`);
          else if (!inRepo(path)) problems.push(`line ${instruction.line}: ${source} does not exist`);
          else if (ignored(rules, path))
            problems.push(`line ${instruction.line}: ${source} is .dockerignored`);
          else if (statSync(new URL(path, root)).isDirectory()) {
            const hidden = sourceFiles(path).filter((file) => ignored(rules, file));
            if (hidden.length > 0)
              problems.push(`line ${instruction.line}: ${hidden.join(", ")} .dockerignored`);
          }
        }
      }
    }
    // The build stage has everything `npm run build` reads: its tsconfig, what that extends, its sources.
    const builder = stages.find((s) =>
      s.instructions.some((i) => i.keyword === "RUN" && /npm run build/.test(i.args)),
    );
    const buildConfig = /tsc -p (\S+)/.exec(packageJson.scripts.build ?? "")?.[1];
    if (builder && buildConfig) {
      const has = (path: string) =>
        (copied.get(builder) ?? []).some((c) => c === "." || path === c || path.startsWith(`${c}/`));
      let include: string[] | undefined; // the nearest config's wins
      for (let config: string | undefined = buildConfig; config; ) {
        const json = JSON.parse(read(config)) as { extends?: string; include?: string[] };
        if (!has(config)) problems.push(`the build stage lacks ${config}`);
        include ??= json.include;
        config = json.extends ? posix.join(posix.dirname(config), json.extends) : undefined;
      }
      for (const path of include ?? []) {
        if (!has(path.split("/")[0]!)) problems.push(`the build stage lacks ${path}`);
      }
    }
    return problems;
  },
};

/** The .ts sources under a folder of the repo, `/`-separated and relative to the repo. */
function sourceFiles(dir: string): string[] {
  return readdirSync(new URL(`${dir}/`, root), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

type CheckName = (typeof T)[keyof typeof T];

function problemsOf(setup: Setup): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(CHECKS)
      .map(([name, check]) => [name, check(setup)] as const)
      .filter(([, problems]) => problems.length > 0),
  );
}

// ---------------------------------------------------------------------------------------------------

describe("the Dockerfile (read statically)", () => {
  for (const [name, check] of Object.entries(CHECKS)) {
    it(name, () => {
      expect(check(REAL)).toEqual([]);
    });
  }
});

describe("the Dockerfile parser", () => {
  it("joins continued lines, drops comments inside them and honours the escape directive", () => {
    const text = [
      "# escape=`",
      "FROM node:26-slim AS build",
      "RUN a `",
      "  # a comment inside the continuation",
      "",
      "  && b",
      "COPY --from=build --chown=node:node /app/dist ./dist",
    ].join("\n");
    expect(parseDockerfile(text)).toEqual([
      { keyword: "FROM", args: "node:26-slim AS build", line: 2 },
      { keyword: "RUN", args: "a && b", line: 3 },
      { keyword: "COPY", args: "--from=build --chown=node:node /app/dist ./dist", line: 7 },
    ]);
    expect(copyOf(parseDockerfile(text)[2]!)).toEqual({
      from: "build",
      sources: ["/app/dist"],
      dest: "./dist",
    });
  });

  it("reads ENV in both forms, with quotes", () => {
    expect([...envOf('A=1 B="two words" C=')]).toEqual([
      ["A", "1"],
      ["B", "two words"],
      ["C", ""],
    ]);
    expect([...envOf("NODE_ENV production")]).toEqual([["NODE_ENV", "production"]]);
  });

  it("applies .dockerignore rules in order, parents included, with exceptions", () => {
    const rules = parseDockerignore("*\n!src/\n**/.env*\n");
    expect(ignored(rules, "src/main.ts")).toBe(false);
    expect(ignored(rules, "src/.env")).toBe(true);
    expect(ignored(rules, "test/a.test.ts")).toBe(true);
    expect(ignored(parseDockerignore("node_modules\n"), "node_modules/x/y.js")).toBe(true);
    expect(ignored(parseDockerignore("node_modules\n"), "src/node_modules")).toBe(false);
  });
});

describe("the checks fail on a broken Dockerfile", () => {
  // Each mutation must change what is parsed, not merely a comment.
  const mutate = (from: string | RegExp, to: string, file: keyof Setup = "dockerfile"): Setup => {
    const changed = REAL[file].replace(from, to);
    const parse = file === "dockerfile" ? parseDockerfile : parseDockerignore;
    if (JSON.stringify(parse(changed)) === JSON.stringify(parse(REAL[file]))) {
      throw new Error(`mutation ${String(from)} changes no instruction of ${file}`);
    }
    return { ...REAL, [file]: changed };
  };

  const cases: [string, Setup, CheckName][] = [
    ["one stage only", mutate(/^FROM node:26-slim AS build[\s\S]*?(?=^FROM )/m, ""), T.stages],
    ["an odd major", mutate(/^FROM node:26-slim AS runtime/m, "FROM node:25-slim AS runtime"), T.stages],
    ["an older LTS", mutate(/^FROM node:26-slim AS runtime/m, "FROM node:24-slim AS runtime"), T.stages],
    ["the full image", mutate(/^FROM node:26-slim AS runtime/m, "FROM node:26 AS runtime"), T.stages],
    ["an unknown stage", mutate("--from=build", "--from=builder"), T.stages],
    ["no dist copied", mutate(/^COPY --from=build .*$/m, ""), T.dist],
    ["dist elsewhere", mutate(/^(COPY --from=build \S+) \.\/dist$/m, "$1 /srv/dist"), T.dist],
    ["no build", mutate(/^RUN npm run build$/m, "RUN true"), T.dist],
    ["dev dependencies", mutate("npm ci --omit=dev", "npm ci"), T.prodDeps],
    ["npm install", mutate("npm ci --omit=dev", "npm install --omit=dev"), T.prodDeps],
    ["root", mutate(/^USER node$/m, "USER root"), T.user],
    ["uid 0", mutate(/^USER node$/m, "USER 0:0"), T.user],
    ["no USER", mutate(/^USER node$/m, ""), T.user],
    ["no health check", mutate(/^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m, ""), T.health],
    ["another path", mutate("/healthz'", "/health'"), T.health],
    ["curl", mutate(/CMD \["node", "-e", .*\]$/m, "CMD curl -f http://127.0.0.1:$PORT/healthz"), T.health],
    ["shell-form CMD", mutate('CMD ["node", "dist/main.js"]', "CMD node dist/main.js"), T.start],
    ["npm in between", mutate('CMD ["node", "dist/main.js"]', 'CMD ["npm", "start"]'), T.start],
    ["npm in between (signal)", mutate('CMD ["node", "dist/main.js"]', 'CMD ["npm", "start"]'), T.signal],
    ["another port", mutate(/^EXPOSE 3000$/m, "EXPOSE 8080"), T.start],
    ["development", mutate("NODE_ENV=production", "NODE_ENV=development"), T.nodeEnv],
    ["another stop signal", mutate("STOPSIGNAL SIGTERM", "STOPSIGNAL SIGQUIT"), T.signal],
    ["no allow-list", mutate(/^\*$/m, "", "dockerignore"), T.ignore],
    ["src left out", mutate(/^!src\/$/m, "", "dockerignore"), T.context],
    ["a missing file", mutate("COPY src ./src", "COPY src nope.json ./"), T.context],
    ["an ignored file", mutate("COPY src ./src", "COPY src README.md ./src/"), T.context],
    [
      "no base tsconfig",
      mutate("COPY tsconfig.json tsconfig.build.json ./", "COPY tsconfig.build.json ./"),
      T.context,
    ],
  ];

  it.each(cases)("flags %s", (_label, setup, check) => {
    expect(problemsOf(setup)[check]).toBeDefined();
  });
});
