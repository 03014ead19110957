// `claude plugin validate <repo> --strict` (and `--profile directory`) with the pinned real CLI (offline, temporary HOME).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureClaudeCli, offlineCliEnv } from "./claude-cli.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const claude = ensureClaudeCli({ quiet: true });
const home = mkdtempSync(join(tmpdir(), "bg-notify-validate-"));
try {
  // The strict check, and the plugin directory's submission checks (icon, author, declared hosts).
  for (const extra of [[], ["--profile", "directory"]]) {
    const label = ["claude plugin validate --strict", ...extra].join(" ");
    const run = spawnSync(claude, ["plugin", "validate", repo, "--strict", ...extra], {
      encoding: "utf8",
      timeout: 120_000,
      env: offlineCliEnv(home),
    });
    process.stdout.write(run.stdout ?? "");
    process.stderr.write(run.stderr ?? "");
    if (run.status !== 0) {
      process.stderr.write(`${label} failed (exit ${run.status ?? run.signal})\n`);
      process.exit(1);
    }
    process.stdout.write(`${label}: ok\n`);
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
