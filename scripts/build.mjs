// Builds what ships: self-contained bundles in dist/ (hooks run them with plain `node`, no
// node_modules), plus the library's type declarations. Deterministic: same source, same bytes.
// Every hook is a fresh process on the user's critical path, so the hook bundles are built for
// start-up time (figures in docs/PERFORMANCE.md): CommonJS, and costly dependencies loaded on first use.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });

// hooks/run answers most inputs without node, so it knows some of the store's names: they are written
// into its generated block from the source, never by hand.
{
  const names = await build({
    entryPoints: [join(root, "scripts/launcher-names.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "warning",
  });
  const code = names.outputFiles[0].text;
  const { withLauncherBlock } = await import(
    `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`
  );
  const launcher = join(root, "hooks", "run");
  const before = readFileSync(launcher, "utf8");
  const after = withLauncherBlock(before);
  if (after !== before) writeFileSync(launcher, after);
}

// Bundled CommonJS code may call require() for node builtins.
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
 * Start-up cost the hooks do not pay until they need it:
 * - zod, the largest cost when loaded, is needed only to describe what is wrong with a hook input, a
 *   state file or a config file that its plain check did not vouch for (src/claude/hook-input.ts,
 *   src/core/state.ts and src/core/config.ts build their schemas on first use). The hooks get stand-ins for
 *   zod's functions that load dist/hooks/lazy/zod.js (tree-shaken to ZOD_NAMES) on the first call.
 * - node:crypto (a few ms to load, with the stream classes it pulls in) is needed only for random
 *   names (temp files, events, claimants): the stand-ins read the kernel CSPRNG that node:crypto
 *   itself draws on (/dev/urandom) and load node:crypto only where that fails or for any other call.
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

const CRYPTO_STAND_IN = `
const fs = require("node:fs");
let crypto;
const real = () => (crypto ??= require("node:crypto"));
function urandom(size) {
  let fd;
  try {
    fd = fs.openSync("/dev/urandom", "r");
    const bytes = Buffer.alloc(size);
    for (let got = 0; got < size; ) {
      const n = fs.readSync(fd, bytes, got, size - got, null);
      if (n <= 0) return undefined;
      got += n;
    }
    return bytes;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) try { fs.closeSync(fd); } catch {}
  }
}
export function randomBytes(size, callback) {
  const bytes = callback === undefined && Number.isSafeInteger(size) && size >= 0 && size <= 65536 ? urandom(size) : undefined;
  return bytes ?? real().randomBytes(size, callback);
}
export function randomUUID(options) {
  const b = options === undefined ? urandom(16) : undefined;
  if (!b) return real().randomUUID(options);
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  const h = b.toString("hex");
  return \`\${h.slice(0, 8)}-\${h.slice(8, 12)}-\${h.slice(12, 16)}-\${h.slice(16, 20)}-\${h.slice(20)}\`;
}
`;

const LAZY = "lazy";

/** esbuild plugin: modules replaced by the given sources (`null`: resolve as usual). */
function standIns(name, select, sources) {
  return {
    name,
    setup(b) {
      const ns = `bg-notify-${name}`;
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.namespace === ns) return undefined; // a stand-in's own imports resolve as usual
        const id = select(args);
        return id === undefined ? undefined : { path: id, namespace: ns };
      });
      b.onResolve({ filter: new RegExp(`^\\./${LAZY}/`) }, (args) => ({ path: args.path, external: true }));
      b.onLoad({ filter: /.*/, namespace: ns }, (args) => ({
        contents: sources[args.path],
        loader: "js",
        resolveDir: root,
      }));
    },
  };
}

const hookStandIns = standIns(
  "hook-stand-ins",
  (args) =>
    ["node:crypto", "zod/mini", "graceful-fs", "assert"].includes(args.path) ? args.path : undefined,
  {
    "node:crypto": CRYPTO_STAND_IN,
    // proper-lockfile's default fs. The store hands it its own fs for every call that touches the lock,
    // and graceful-fs only queues async opens on EMFILE, which no hook makes; loading it costs every hook
    // node's stream, assert and util modules.
    "graceful-fs": 'module.exports = require("node:fs");',
    // signal-exit's one use: checking that a handler is a function. node:assert costs ~3 ms to load.
    assert: [
      "module.exports = { equal(actual, expected, message) {",
      "  if (actual != expected) throw new Error(message);",
      "} };",
    ].join("\n"),
    "zod/mini": [
      `let zod; const load = () => (zod ??= require("./${LAZY}/zod.js"));`,
      ...ZOD_NAMES.map((name) => `const ${name}_ = (...args) => load().${name}(...args);`),
      `export { ${ZOD_NAMES.map((name) => `${name}_ as ${name}`).join(", ")} };`,
    ].join("\n"),
  },
);

/** dist/hooks/<name>.bundle.js: a hook's code; dist/hooks/<name>.js: the entry that runs it. */
const BUNDLE_SUFFIX = ".bundle";

/**
 * A hook's entry. Compiling the bundle is a few ms of every hook process (docs/PERFORMANCE.md), so the
 * entry compiles it with V8's code cache, kept per bundle (by content hash) and node build in the plugin's
 * data directory (CLAUDE_PLUGIN_DATA, set by Claude Code): written once, at the exit of the first run.
 * That run compiles the bundle eagerly (every function, not only those its own path calls): a cache of
 * one path left every other path compiling its functions lazily, 0.5–1 ms of each of its runs. A
 * missing, unreadable or rejected cache only means a compile; without the data directory, or if
 * anything here fails, the bundle is required as it is.
 */
function codeCacheLoader(name, hash) {
  return `"use strict";
// bg-notify hook entry (generated by scripts/build.mjs): runs ${name}${BUNDLE_SUFFIX}.js from V8's code cache.
const fs = require("node:fs");
const path = require("node:path");
const file = path.join(__dirname, ${JSON.stringify(`${name}${BUNDLE_SUFFIX}.js`)});
const data = process.env.CLAUDE_PLUGIN_DATA;
let run;
if (data && path.isAbsolute(data)) {
  try {
    const vm = require("node:vm");
    const cache = path.join(data, "code-cache", ${JSON.stringify(`${name}-${hash}-`)} + process.version + "-" + process.arch + ".bin");
    let cachedData;
    try {
      cachedData = fs.readFileSync(cache);
    } catch {}
    // CommonJS's own wrapper, spelt out: node:module is not loaded for it (a few tenths of a ms).
    const wrapped = "(function (exports, require, module, __filename, __dirname) { " + fs.readFileSync(file, "utf8") + "\\n});";
    let script = cachedData && new vm.Script(wrapped, { filename: file, cachedData });
    if (!script || script.cachedDataRejected) {
      // V8 checks its flags against a cache's, so the flag is set for this compile only, and never
      // where the user chose it (the cache would then be made, and rejected, on every run).
      const own = process.execArgv.some((arg) => arg.includes("lazy"));
      const v8 = own ? undefined : require("node:v8");
      v8?.setFlagsFromString("--no-lazy");
      try {
        script = new vm.Script(wrapped, { filename: file });
      } finally {
        v8?.setFlagsFromString("--lazy");
      }
      process.once("exit", () => {
        try {
          fs.mkdirSync(path.dirname(cache), { recursive: true, mode: 0o700 });
          const tmp = cache + "." + process.pid + ".tmp";
          fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
          fs.renameSync(tmp, cache);
          // The caches of this hook's earlier builds (or nodes) are of no more use.
          for (const old of fs.readdirSync(path.dirname(cache)))
            if (old.startsWith(${JSON.stringify(`${name}-`)}) && old !== path.basename(cache))
              fs.rmSync(path.join(path.dirname(cache), old), { force: true });
        } catch {}
      });
    }
    const compiled = script.runInThisContext();
    // The bundle sits beside this entry, so this entry's require resolves what it asks for (./lazy/…).
    run = () => compiled.call(module.exports, module.exports, require, module, file, __dirname);
  } catch {
    run = undefined;
  }
}
if (run) run();
else require(file);
`;
}

const hookEntries = readdirSync(join(root, "src/plugin/entries"))
  .filter((name) => name.endsWith(".ts"))
  .sort()
  .map((name) => join(root, "src/plugin/entries", name));

// CommonJS: a hook then starts without node's ESM loader (a few ms per process). The package is
// "type": "module", so dist/hooks gets its own package.json saying its .js files are CommonJS.
const hooksDir = join(dist, "hooks");
await build({
  ...common,
  format: "cjs",
  entryPoints: Object.fromEntries(
    hookEntries.map((file) => [`${basename(file, ".ts")}${BUNDLE_SUFFIX}`, file]),
  ),
  outdir: hooksDir,
  plugins: [hookStandIns],
  logOverride: { "import-is-undefined": "error" },
});
// Each hook's entry, dist/hooks/<name>.js, runs its bundle from V8's code cache when it can.
for (const file of hookEntries) {
  const name = basename(file, ".ts");
  const bundle = readFileSync(join(hooksDir, `${name}${BUNDLE_SUFFIX}.js`));
  // Of the bundle and of how its cache is made (an eager compile), so a lazy cache of before is not reused.
  const hash = createHash("sha256").update(bundle).update("eager").digest("hex").slice(0, 16);
  writeFileSync(join(hooksDir, `${name}.js`), codeCacheLoader(name, hash));
}
await build({
  ...common,
  format: "cjs",
  stdin: { contents: `export { ${ZOD_NAMES.join(", ")} } from "zod/mini";`, resolveDir: root, loader: "js" },
  outfile: join(hooksDir, LAZY, "zod.js"),
});
writeFileSync(join(hooksDir, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);

// The hooks module Claude Code runs in-process (hooks/register.js, named by hooks.json's `modules`): one
// ES module with no Node import, unminified, because the engine reads its source to see what it calls
// on `$`. Random ids come from the Web Crypto every worker has.
{
  const moduleFile = join(root, "hooks", "register.js");
  const webCrypto = standIns(
    "module-stand-ins",
    (args) => (args.path === "node:crypto" ? args.path : undefined),
    {
      "node:crypto": [
        "export function randomUUID() { return globalThis.crypto.randomUUID(); }",
        "export function randomBytes(size) {",
        "  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(size));",
        '  return { toString: () => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("") };',
        "}",
      ].join("\n"),
    },
  );
  await build({
    ...common,
    platform: "neutral",
    target: "es2022",
    minify: false,
    entryPoints: [join(root, "src/module/register.ts")],
    outfile: moduleFile,
    mainFields: ["module", "main"],
    plugins: [webCrypto],
    banner: {
      js: "// bg-notify hooks module (generated by scripts/build.mjs from src/module/): do not edit.",
    },
  });
  const code = readFileSync(moduleFile, "utf8");
  const forbidden = [/\bimport\s*\(/, /^\s*import\s/m, /\brequire\s*\(/, /["']node:/];
  const found = forbidden.find((re) => re.test(code));
  if (found)
    throw new Error(`hooks/register.js must be self-contained with no Node import; it matches ${found}`);
}

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
