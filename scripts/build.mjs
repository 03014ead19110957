// Builds what ships: self-contained bundles in dist/ (hooks run them with plain `node`, no
// node_modules), plus the library's type declarations. Deterministic: same source, same bytes.
// Every hook is a fresh process on the user's critical path, so the hook bundles are built for
// start-up time (see docs/PERFORMANCE.md): CommonJS, and costly dependencies loaded on first use.
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
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

/**
 * Start-up cost the hooks do not pay until they need it (measured in docs/PERFORMANCE.md):
 * - node:crypto (a few ms to load) is needed only to name a temp file or an event, so its functions
 *   are stand-ins that load it on their first call;
 * - proper-lockfile (with retry and signal-exit) is needed only by a transaction, so it is loaded on
 *   the first lock taken; a hook that only reads never loads it;
 * - graceful-fs (proper-lockfile's fs) patches and queues every fs call to survive EMFILE, which a
 *   hook process holding a handful of descriptors never meets: plain node:fs stands in for it;
 * - assert (a few ms to load) is used by signal-exit, which proper-lockfile loads, for one check of
 *   its argument: a stand-in makes that check and loads node:assert only to report a failure.
 * - zod (the largest part of start-up when loaded) is needed only to describe what is wrong with an
 *   input, a state file or a config file that its plain check did not vouch for (src/hook-input.ts,
 *   src/state.ts, src/config.ts build their schemas on first use), so zod's functions are stand-ins
 *   that load the real ones, tree-shaken to the names below, on the first call.
 * A name the source imports but a stand-in lacks fails the build (see `logOverride` below).
 */
const ZOD_NAMES = [
  "array",
  "boolean",
  "enum",
  "int",
  "literal",
  "looseObject",
  "maximum",
  "minimum",
  "nullable",
  "number",
  "object",
  "optional",
  "record",
  "regex",
  "strictObject",
  "string",
  "unknown",
];
const lazyHookDependencies = {
  name: "lazy-hook-dependencies",
  setup(b) {
    const ns = "bg-notify-lazy";
    // The stand-ins' own imports of the real modules resolve as usual.
    b.onResolve({ filter: /^(node:crypto|proper-lockfile|graceful-fs|zod\/mini)$/ }, (args) =>
      args.namespace === ns ? undefined : { path: args.path, namespace: ns },
    );
    b.onResolve({ filter: /^assert$/ }, (args) =>
      /[\\/]node_modules[\\/]signal-exit[\\/]/.test(args.importer)
        ? { path: "signal-exit:assert", namespace: ns }
        : undefined,
    );
    b.onResolve({ filter: /^zod-subset$/ }, (args) => ({ path: args.path, namespace: ns }));
    const sources = {
      "node:crypto": [
        'let crypto; const load = () => (crypto ??= require("node:crypto"));',
        "export const randomBytes = (...args) => load().randomBytes(...args);",
        "export const randomUUID = (...args) => load().randomUUID(...args);",
      ].join("\n"),
      "proper-lockfile": [
        'let lockfile; const load = () => (lockfile ??= require("proper-lockfile/index.js"));',
        "export default {",
        "  lock: (...args) => load().lock(...args),",
        "  unlock: (...args) => load().unlock(...args),",
        "  check: (...args) => load().check(...args),",
        "  lockSync: (...args) => load().lockSync(...args),",
        "  unlockSync: (...args) => load().unlockSync(...args),",
        "  checkSync: (...args) => load().checkSync(...args),",
        "};",
      ].join("\n"),
      "graceful-fs": 'module.exports = require("node:fs");',
      "signal-exit:assert": [
        "exports.equal = (actual, expected, message) => {",
        '  if (actual != expected) require("node:assert").equal(actual, expected, message);',
        "};",
      ].join("\n"),
      "zod/mini": [
        'let zod; const load = () => (zod ??= require("zod-subset"));',
        ...ZOD_NAMES.map((name) => `const ${name}_ = (...args) => load().${name}(...args);`),
        `export { ${ZOD_NAMES.map((name) => `${name}_ as ${name}`).join(", ")} };`,
      ].join("\n"),
      // Required (lazily) by the stand-in above; resolves to the real zod/mini.
      "zod-subset": `export { ${ZOD_NAMES.join(", ")} } from "zod/mini";`,
    };
    b.onLoad({ filter: /.*/, namespace: ns }, (args) => ({
      contents: sources[args.path],
      loader: "js",
      resolveDir: root,
    }));
  },
};

const hookEntries = readdirSync(join(root, "src/entries"))
  .filter((name) => name.endsWith(".ts"))
  .sort()
  .map((name) => join(root, "src/entries", name));

// CommonJS: a hook then starts without node's ESM loader (measured: a few ms per process). The package
// is "type": "module", so dist/hooks gets its own package.json saying its .js files are CommonJS.
await build({
  ...common,
  format: "cjs",
  entryPoints: Object.fromEntries(hookEntries.map((file) => [basename(file, ".ts"), file])),
  outdir: join(dist, "hooks"),
  plugins: [lazyHookDependencies],
  logOverride: { "import-is-undefined": "error" },
});
writeFileSync(join(dist, "hooks", "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);

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
