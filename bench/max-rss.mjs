// Preloaded with `node --import` by the start-up bench: reports the process's peak RSS (KiB) on stderr at exit.
process.on("exit", () => {
  process.stderr.write(`\nvpce-bench-maxrss-kib=${process.resourceUsage().maxRSS}\n`);
});
