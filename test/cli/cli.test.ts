// The CLI as a whole: help, version, unknown commands and options, exit codes, colour rules.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { colourWanted, createStyle } from "../../src/cli/output.ts";
import { assertNoColour, ROOT, runCli } from "./helpers.ts";

const COMMANDS = ["replay", "status", "events", "flush", "doctor", "statusline"];

test("bg-notify --help lists every command and exits 0", async () => {
  const result = await runCli(["--help"]);
  assert.equal(result.code, 0);
  for (const name of COMMANDS) assert.match(result.stdout, new RegExp(`^  ${name} `, "m"));
  assert.equal(result.stderr, "");
  assertNoColour(result.stdout);
});

test("every command answers --help (and -h) on stdout with exit 0", async () => {
  const runs = COMMANDS.flatMap((name) => ["--help", "-h"].map((flag) => ({ name, flag })));
  const results = await Promise.all(runs.map(({ name, flag }) => runCli([name, flag])));
  for (const [i, { name, flag }] of runs.entries()) {
    const result = results[i]!;
    assert.equal(result.code, 0, `${name} ${flag}`);
    assert.match(result.stdout, new RegExp(`^Usage: bg-notify ${name}`), `${name} ${flag}`);
    assert.match(result.stdout, /--json/, `${name} documents --json`);
    assert.match(result.stdout, /Exit status/, `${name} documents its exit codes`);
  }
  const viaHelp = await runCli(["help", "status"]);
  assert.equal(viaHelp.code, 0);
  assert.match(viaHelp.stdout, /^Usage: bg-notify status/);
});

test("--version prints package.json's version", async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  const result = await runCli(["--version"]);
  assert.equal(result.code, 0);
  assert.equal(result.stdout.trim(), version);
});

test("no command, an unknown command or an unknown option: one line on stderr and exit 2", async () => {
  const none = await runCli([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /a command is required/);
  assert.equal(none.stdout, "");

  const unknown = await runCli(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr.trim().split("\n").length, 1);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);

  const results = await Promise.all(COMMANDS.map((name) => runCli([name, "--no-such-option"])));
  for (const [i, name] of COMMANDS.entries()) {
    const result = results[i]!;
    assert.equal(result.code, 2, name);
    assert.equal(result.stderr.trim().split("\n").length, 1, `${name}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^bg-notify ${name}: .*'--no-such-option'`), name);
    assert.equal(result.stdout, "", name);
  }
});

test("commands without positional arguments refuse one (exit 2)", async () => {
  const names = ["status", "events", "flush", "doctor", "statusline"];
  const results = await Promise.all(names.map((name) => runCli([name, "stray"])));
  for (const [i, name] of names.entries()) {
    const result = results[i]!;
    assert.equal(result.code, 2, name);
    assert.match(result.stderr, /unexpected argument 'stray'/, name);
  }
});

test("a value option given without its value is a usage error", async () => {
  const result = await runCli(["status", "--session"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--session/);
});

test("colour only on a TTY, and never with NO_COLOR", () => {
  assert.equal(colourWanted({ isTTY: true }, {}), true);
  assert.equal(colourWanted({ isTTY: true }, { NO_COLOR: "1" }), false);
  assert.equal(colourWanted({ isTTY: false }, {}), false);
  assert.equal(colourWanted({}, {}), false);
  assert.equal(colourWanted({ isTTY: true }, { TERM: "dumb" }), false);
  assert.equal(createStyle(false).red("x"), "x");
  assert.equal(createStyle(true).red("x"), "\u001b[31mx\u001b[39m");
});
