// Builds what ships: self-contained ESM bundles in dist/ (hooks run them with plain `node`, no
// node_modules), plus the library's type declarations. Deterministic: same source, same bytes.
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });

// proper-lockfile and its dependencies are CommonJS and call require() for node builtins.
const requireBanner =
  'import { createRequire as __bgNotifyCreateRequire } from "node:module"; const require = __bgNotifyCreateRequire(import.meta.url);';

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  legalComments: "none",
  charset: "utf8",
  logLevel: "warning",
};

const hookEntries = readdirSync(join(root, "src/entries"))
  .filter((name) => name.endsWith(".ts"))
  .sort()
  .map((name) => join(root, "src/entries", name));

await build({
  ...common,
  entryPoints: Object.fromEntries(hookEntries.map((file) => [basename(file, ".ts"), file])),
  outdir: join(dist, "hooks"),
  banner: { js: requireBanner },
});

await build({
  ...common,
  entryPoints: { index: join(root, "src/index.ts") },
  outdir: dist,
  minify: false,
  banner: { js: requireBanner },
});

await build({
  ...common,
  entryPoints: { cli: join(root, "src/cli/main.ts") },
  outdir: dist,
  banner: { js: `#!/usr/bin/env node\n${requireBanner}` },
});

execFileSync(
  process.execPath,
  [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")],
  { stdio: "inherit" },
);
