// `claude plugin test` with the pinned real CLI: the plugin as it ships (.claude-plugin/, hooks/) staged
// with this folder's *.test.ts, which the kit runs against the engine loading hooks/register.js.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureClaudeCli, offlineCliEnv } from "../e2e/claude-cli.ts";

const here = dirname(fileURLToPath(import.meta.url));
const LAID_TYPES = ".claude-plugin/types/claude-code/index.d.ts";
const repo = resolve(here, "..", "..");
const claude = ensureClaudeCli({ quiet: true });
const root = mkdtempSync(join(tmpdir(), "bg-notify-kit-"));
try {
  // Only what ships, so that the kit never meets the repository's node:test files.
  const plugin = join(root, "bg-notify");
  for (const part of [".claude-plugin", "hooks"])
    cpSync(join(repo, part), join(plugin, part), { recursive: true });
  mkdirSync(join(plugin, "tests"));
  const tests = readdirSync(here).filter((f) => f.endsWith(".test.ts"));
  for (const file of tests) cpSync(join(here, file), join(plugin, "tests", file));
  const home = join(root, "home");
  mkdirSync(home);
  const run = spawnSync(claude, ["plugin", "test", plugin], {
    encoding: "utf8",
    timeout: 300_000,
    env: offlineCliEnv(home),
  });
  process.stdout.write(run.stdout ?? "");
  process.stderr.write(run.stderr ?? "");
  // A kit that ran nothing proves nothing.
  const ran = /Ran (\d+) tests? across/.exec(`${run.stdout}${run.stderr}`);
  if (run.status !== 0 || !ran || Number(ran[1]) === 0) {
    process.stderr.write(
      `claude plugin test failed (exit ${run.status ?? run.signal}, ${ran?.[1] ?? 0} tests ran)\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`claude plugin test: ${ran[1]} tests of ${tests.length} file(s) passed\n`);
  // The tests against the declarations Claude Code lays beside a module it loaded from a folder the
  // person owns (any session with --plugin-dir here: the e2e suite's): never a copy of our own.
  if (existsSync(join(repo, LAID_TYPES))) {
    const tsc = spawnSync(
      process.execPath,
      [join(repo, "node_modules", "typescript", "bin", "tsc"), "-p", here],
      {
        encoding: "utf8",
      },
    );
    process.stdout.write(tsc.stdout ?? "");
    process.stderr.write(tsc.stderr ?? "");
    if (tsc.status !== 0) {
      process.stderr.write("the kit's tests do not type-check against Claude Code's declarations\n");
      process.exit(1);
    }
    process.stdout.write(`typecheck against ${LAID_TYPES}: ok\n`);
  } else {
    process.stdout.write(
      `typecheck skipped: no ${LAID_TYPES} yet (no session has loaded the module from here)\n`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
