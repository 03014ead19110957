/**
 * Ensures a Claude Code CLI (the pinned one, or another version asked for) is installed into a cache
 * directory outside the repo, one per version, and returns the path of its executable. Never a
 * dependency of this package.
 *
 * Cache dir: $BG_NOTIFY_E2E_CACHE (the pinned version only), else
 * ${XDG_CACHE_HOME:-$HOME/.cache}/bg-notify-e2e/claude-code-<version>.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const CLAUDE_CODE_VERSION = "2.1.332";

export function cacheDir(version: string = CLAUDE_CODE_VERSION): string {
  if (process.env.BG_NOTIFY_E2E_CACHE && version === CLAUDE_CODE_VERSION)
    return process.env.BG_NOTIFY_E2E_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "bg-notify-e2e", `claude-code-${version}`);
}

function platformPackage(): string {
  const arch = process.arch === "arm64" ? "arm64" : "x64";
  if (process.platform === "linux") {
    // musl detection: glibc reports a version in the process report header
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    const musl = report?.header ? !report.header.glibcVersionRuntime : false;
    return `@anthropic-ai/claude-code-linux-${arch}${musl ? "-musl" : ""}`;
  }
  return `@anthropic-ai/claude-code-${process.platform}-${arch}`;
}

function isNativeExecutable(p: string): boolean {
  if (!existsSync(p)) return false;
  const fd = openSync(p, "r");
  try {
    const buf = Buffer.alloc(4);
    readSync(fd, buf, 0, 4, 0);
    const elf = buf[0] === 0x7f && buf[1] === 0x45 && buf[2] === 0x4c && buf[3] === 0x46;
    const machO = buf.readUInt32BE(0) === 0xcffaedfe || buf.readUInt32BE(0) === 0xfeedfacf;
    const pe = buf[0] === 0x4d && buf[1] === 0x5a;
    return elf || machO || pe;
  } finally {
    closeSync(fd);
  }
}

function candidates(dir: string): string[] {
  const nm = join(dir, "node_modules");
  const exe = process.platform === "win32" ? "claude.exe" : "claude";
  return [
    // the wrapper's bin after its postinstall copied/linked the native binary over the placeholder
    join(nm, "@anthropic-ai", "claude-code", "bin", "claude.exe"),
    // the platform package's binary itself (works even when npm skipped the postinstall script)
    join(nm, ...platformPackage().split("/"), exe),
    // releases before the native binary (2.0.x): the package's own node script
    join(nm, "@anthropic-ai", "claude-code", "cli.js"),
  ];
}

/** A native binary, or the node script older releases shipped (run through its `#!` line). */
function isRunnable(p: string): boolean {
  if (isNativeExecutable(p)) return true;
  if (!p.endsWith("cli.js") || !existsSync(p)) return false;
  const fd = openSync(p, "r");
  try {
    const buf = Buffer.alloc(2);
    readSync(fd, buf, 0, 2, 0);
    return buf.toString() === "#!";
  } finally {
    closeSync(fd);
  }
}

function versionOf(bin: string): string | undefined {
  const r = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 30_000, env: { ...process.env } });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function findInstalled(dir: string, version: string): string | undefined {
  for (const c of candidates(dir)) {
    if (isRunnable(c) && versionOf(c)?.startsWith(version)) return c;
  }
  return undefined;
}

/** Returns the path of the CLI executable of `version` (default: the pinned one), installing it first when absent. */
export function ensureClaudeCli(opts: { quiet?: boolean; version?: string } = {}): string {
  const version = opts.version ?? CLAUDE_CODE_VERSION;
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`--claude-version wants x.y.z, not ${version}`);
  const dir = cacheDir(version);
  const found = findInstalled(dir, version);
  if (found) return found;
  mkdirSync(dir, { recursive: true });
  if (!opts.quiet)
    process.stderr.write(`[e2e] installing @anthropic-ai/claude-code@${version} into ${dir}\n`);
  execFileSync(
    "npm",
    [
      "install",
      "--prefix",
      dir,
      "--no-audit",
      "--no-fund",
      "--no-save",
      "--loglevel=error",
      `@anthropic-ai/claude-code@${version}`,
    ],
    { stdio: ["ignore", "inherit", "inherit"], cwd: dir },
  );
  const installed = findInstalled(dir, version);
  if (!installed) {
    throw new Error(
      `@anthropic-ai/claude-code@${version} installed into ${dir} but no working native binary found (looked at ${candidates(
        dir,
      ).join(", ")})`,
    );
  }
  return installed;
}

// `tsx test/e2e/claude-cli.ts` prints the path (handy for probing by hand).
if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${ensureClaudeCli()}\n`);
}

/** The environment of a one-shot `claude plugin …` command: offline, a dummy key, this HOME only. */
export function offlineCliEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: home,
    ANTHROPIC_API_KEY: "dummy",
    ANTHROPIC_BASE_URL: "http://127.0.0.1:9",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  };
}
