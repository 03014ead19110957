// Installed as npm users install it (#35): the packed tarball, installed globally into a temporary prefix
// and run through `npx`, offline (the package has no dependencies), and `doctor` passes from there.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cleanEnv, PLUGIN, ROOT, tempDir } from "./helpers.ts";

interface PackageJson {
  version: string;
  files: string[];
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;

/** npm with its cache and global prefix in `dir`, never the registry. */
function npm(args: readonly string[], dir: string, cwd: string) {
  const r = spawnSync("npm", ["--offline", "--no-audit", "--no-fund", "--ignore-scripts", ...args], {
    cwd,
    env: cleanEnv({
      HOME: dir,
      npm_config_cache: join(dir, "npm-cache"),
      npm_config_update_notifier: "false",
    }),
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `npm ${args.join(" ")}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** `npm pack` of what package.json ships, built dist/ from this test run's snapshot. */
function pack(dir: string): string {
  const source = join(dir, "source");
  for (const part of ["package.json", ...pkg.files])
    if (existsSync(join(ROOT, part)))
      cpSync(join(part === "dist" ? PLUGIN : ROOT, part), join(source, part), { recursive: true });
  const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", dir], dir, source)) as {
    filename: string;
  }[];
  assert.ok(packed, "npm pack named no tarball");
  return join(dir, packed.filename);
}

test("a global install of the packed tarball runs doctor, and every check passes", async (t) => {
  const dir = tempDir(t, "install");
  const project = tempDir(t, "project");
  const tarball = pack(dir);
  const prefix = join(dir, "prefix");
  npm(["install", "--global", "--prefix", prefix, tarball], dir, dir);
  const bin = join(prefix, "bin", "bg-notify");
  assert.ok(existsSync(bin), `no ${bin} after the global install`);

  const version = spawnSync(bin, ["--version"], { env: cleanEnv(), encoding: "utf8" });
  assert.equal(version.stdout.trim(), pkg.version);
  const doctor = spawnSync(bin, ["doctor", "--json", "--project-dir", project], {
    env: cleanEnv({ HOME: dir }),
    encoding: "utf8",
  });
  const report = JSON.parse(doctor.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
  assert.equal(doctor.status, 0, doctor.stdout + doctor.stderr);
  assert.equal(report.ok, true);
  for (const name of ["hooks wiring", "versions"])
    assert.equal(report.checks.find((c) => c.name === name)?.status, "ok", name);
});

test("npx runs the CLI from the tarball: --help, then doctor", async (t) => {
  const dir = tempDir(t, "npx");
  const project = tempDir(t, "project");
  const tarball = pack(dir);
  const help = npm(["exec", "--yes", `--package=${tarball}`, "--", "bg-notify", "--help"], dir, project);
  assert.match(help, /^Usage: bg-notify/m);
  const doctor = npm(["exec", "--yes", `--package=${tarball}`, "--", "bg-notify", "doctor"], dir, project);
  assert.match(doctor, /all checks passed/);
});
