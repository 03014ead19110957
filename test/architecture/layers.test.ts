// The tree is the architecture: imports run downward only (core → claude → store → library → the two
// delivery layers, plugin and module, which never import each other → replay, cli), proper-lockfile and
// writes of state.json stay in src/store/, Claude Code's field names stay in src/claude/, handlers never
// touch the file system or the lock themselves, and the hooks module reaches nothing of Node.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";

const SRC = resolve(import.meta.dirname, "..", "..", "src");
/** Ranks, lowest first; folders of one rank are siblings. */
const LAYERS = [
  ["core"],
  ["claude"],
  ["store"],
  ["library"],
  ["plugin", "module"],
  ["replay"],
  ["cli"],
] as const;

function sources(dir: string = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const FILES = sources().map((path) => ({ path, rel: relative(SRC, path), text: readFileSync(path, "utf8") }));

function layerOf(rel: string): number {
  const top = rel.split("/")[0] ?? "";
  return LAYERS.findIndex((rank) => (rank as readonly string[]).includes(top));
}

function imports(text: string): string[] {
  return [...text.matchAll(/(?:import|export)\s[^;]*?from\s+"([^"]+)"/g)].map((m) => m[1] ?? "");
}

test("every source file but the entry points sits in a layer folder", () => {
  const loose = FILES.filter((f) => layerOf(f.rel) < 0 && !["index.ts", "testing.ts"].includes(f.rel));
  assert.deepEqual(
    loose.map((f) => f.rel),
    [],
  );
});

test("imports run downward only: a layer imports its own folder or the ones below it", () => {
  const upward: string[] = [];
  for (const file of FILES) {
    const from = layerOf(file.rel);
    if (from < 0) continue;
    for (const spec of imports(file.text)) {
      if (!spec.startsWith(".")) continue;
      const target = relative(SRC, resolve(dirname(file.path), spec));
      const to = layerOf(target);
      const sibling = to === from && target.split("/")[0] !== file.rel.split("/")[0];
      if (to > from || sibling) upward.push(`${file.rel} → ${spec}`);
    }
  }
  assert.deepEqual(upward, []);
});

test("the hooks module imports nothing of Node, directly or through what it imports", () => {
  const reached = new Set<string>();
  const visit = (rel: string) => {
    if (reached.has(rel)) return;
    reached.add(rel);
    const file = FILES.find((f) => f.rel === rel);
    assert.ok(file, `${rel} is a source file`);
    for (const spec of imports(file.text)) {
      if (!spec.startsWith(".")) continue;
      visit(relative(SRC, resolve(dirname(file.path), spec)).replace(/\.js$/, ".ts"));
    }
  };
  visit("module/register.ts");
  const offenders = [...reached].filter((rel) => {
    const text = FILES.find((f) => f.rel === rel)?.text ?? "";
    // Type-only imports vanish from the bundle; node:crypto has a Web Crypto stand-in there.
    return [...text.matchAll(/^import (?!type )[^;]*from "(node:[^"]+)"/gm)].some(
      (m) => m[1] !== "node:crypto",
    );
  });
  assert.deepEqual(offenders, []);
  const bundle = readFileSync(resolve(SRC, "..", "hooks", "register.js"), "utf8");
  assert.doesNotMatch(bundle, /["']node:|\brequire\s*\(|\bimport\s*\(/);
});

test("core is pure: no node: module, no file system, no process", () => {
  const impure = FILES.filter(
    (f) => f.rel.startsWith("core/") && (/from "node:/.test(f.text) || /\bprocess\./.test(f.text)),
  );
  assert.deepEqual(
    impure.map((f) => f.rel),
    [],
  );
});

test("proper-lockfile and writes of state.json live in src/store/ alone", () => {
  assert.ok(
    FILES.some((f) => f.rel === "store/lock.ts" && /from "proper-lockfile"/.test(f.text)),
    "the state lock is proper-lockfile's",
  );
  const offenders = FILES.filter(
    (f) =>
      !f.rel.startsWith("store/") &&
      (/from "proper-lockfile"/.test(f.text) ||
        /(writeFileSync|renameSync|appendFileSync|openSync)\([^)]*(STATE_FILE|state\.json)/.test(f.text)),
  );
  assert.deepEqual(
    offenders.map((f) => f.rel),
    [],
  );
});

test("handlers and entries never import node:fs or proper-lockfile", () => {
  const offenders = FILES.filter(
    (f) =>
      (f.rel.startsWith("plugin/handlers/") || f.rel.startsWith("plugin/entries/")) &&
      /from "(node:fs|fs|proper-lockfile)"/.test(f.text),
  );
  assert.deepEqual(
    offenders.map((f) => f.rel),
    [],
  );
});

// Field names only Claude Code's hook JSON uses: knowing them is the claude/ layer's job.
const CLAUDE_FIELDS = [
  "hook_event_name",
  "tool_response",
  "tool_input",
  "background_tasks",
  "last_assistant_message",
  "backgroundTaskId",
  "async_launched",
  "hookSpecificOutput",
  "additionalContext",
  "permissionDecision",
  "<task-notification>",
];

test("Claude Code's field names appear only in src/claude/", () => {
  const offenders: string[] = [];
  for (const file of FILES) {
    if (file.rel.startsWith("claude/") || file.rel.startsWith("cli/") || file.rel.startsWith("replay/"))
      continue;
    const code = file.text.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
    for (const field of CLAUDE_FIELDS)
      if (new RegExp(`${field.replace(/[<>]/g, "\\$&")}(?![A-Za-z0-9_])`).test(code))
        offenders.push(`${file.rel}: ${field}`);
  }
  assert.deepEqual(offenders, []);
});

test("the guard itself bites: a handler importing node:fs would be caught", () => {
  const fake = 'import { readFileSync } from "node:fs";';
  assert.ok(/from "(node:fs|fs|proper-lockfile)"/.test(fake));
  assert.ok(layerOf("plugin/handlers/x.ts") > layerOf("library/x.ts"));
});
