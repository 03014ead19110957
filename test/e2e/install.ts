// The plugin installed the way users install it: `claude plugin marketplace add`, then `claude plugin
// install`, all in the run's temporary HOME, from a marketplace over the release tree (the files
// package.json ships, from `git archive` of HEAD). Not the repository root: its package-lock.json makes
// Claude Code run `npm ci` of every devDependency into the plugin's cache (see test/e2e/OBSERVATIONS.md i).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cliEnv } from "./run-claude.ts";

/** The release tree: package.json and what its `files` ships. */
function releaseParts(pluginDir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(pluginDir, "package.json"), "utf8")) as { files: string[] };
  return ["package.json", ...pkg.files];
}

/** Installs bg-notify@bg-notify into `home` from a marketplace made of `pluginDir`'s HEAD; throws why not. */
export function installFromMarketplace(
  claudeBin: string,
  pluginDir: string,
  dirs: { home: string; project: string; root: string },
  baseUrl: string,
): void {
  const source = join(dirs.root, "marketplace");
  mkdirSync(source, { recursive: true });
  const parts = releaseParts(pluginDir);
  const archived = spawnSync(
    "sh",
    [
      "-c",
      'dir=$1; out=$2; shift 2; git -C "$dir" archive --format=tar HEAD -- "$@" | tar -x -C "$out"',
      "archive",
      pluginDir,
      source,
      ...parts,
    ],
    { encoding: "utf8" },
  );
  // Not a git checkout (an unpacked tarball): the files as they stand.
  if (archived.status !== 0)
    for (const part of parts)
      if (existsSync(join(pluginDir, part)))
        cpSync(join(pluginDir, part), join(source, part), { recursive: true });
  const env = cliEnv(dirs.home, baseUrl);
  for (const args of [
    ["plugin", "marketplace", "add", source],
    ["plugin", "install", "bg-notify@bg-notify"],
  ]) {
    const r = spawnSync(claudeBin, args, { cwd: dirs.project, env, encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0)
      throw new Error(
        `claude ${args.join(" ")} exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim().slice(0, 400)}`,
      );
  }
}
