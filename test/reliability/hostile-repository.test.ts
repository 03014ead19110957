// A repository that plants links (or a lock of its own) under .claude/: a whole session through the
// shipped hooks (`sh hooks/run`, real recorded inputs) touches nothing outside the state directory, and
// every notice reaches the model natively, with one line that says why.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type ReplayReport, replay } from "../../src/replay/engine.ts";
import type { RecordedEvent } from "../../src/replay/recording.ts";
import { loadFixture, REPO_ROOT } from "../plugin/hook-harness.ts";

interface World {
  root: string;
  home: string;
  project: string;
  claude: string;
  state: string;
}

function makeWorld(): World {
  const root = mkdtempSync(join(tmpdir(), "bg-notify-hostile-"));
  const home = join(root, "home");
  mkdirSync(join(home, ".ssh"), { recursive: true });
  mkdirSync(join(home, ".config", "git"), { recursive: true });
  writeFileSync(join(home, ".bashrc"), "# the user's shell start-up\n");
  writeFileSync(join(home, ".profile"), "# login\n");
  writeFileSync(join(home, ".ssh", "id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
  mkdirSync(join(home, "victim"));
  writeFileSync(join(home, "victim", "notes.json"), '{"not":"a hook input"}\n');
  writeFileSync(join(home, "victim", "toolu_x.json"), "{}\n");
  const project = join(root, "project");
  const claude = join(project, ".claude");
  mkdirSync(project, { recursive: true });
  return { root, home, project, claude, state: join(claude, "bg-notify") };
}

/** Everything under `dir`, links not followed: path → what it is (content hash, mode, link target). */
function snapshot(dir: string, skip?: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (path: string) => {
    if (skip !== undefined && (path === skip || path.startsWith(`${skip}/`))) return;
    const st = lstatSync(path);
    if (st.isSymbolicLink()) out.set(path, `link ${readlinkSync(path)}`);
    else if (st.isDirectory()) {
      out.set(path, `dir ${st.mode.toString(8)}`);
      for (const name of readdirSync(path)) walk(join(path, name));
    } else {
      const hash = createHash("sha256").update(readFileSync(path)).digest("hex");
      out.set(path, `file ${st.mode.toString(8)} ${hash}`);
    }
  };
  walk(dir);
  return out;
}

/** The recorded three-shell session, then its resume: a typed prompt, Stop and the end. */
function wholeSession(): RecordedEvent[] {
  const events = loadFixture("three-background-shells.jsonl");
  const first = events[0]!.input;
  const last = events[events.length - 1]!.offsetMs;
  const base = {
    session_id: first["session_id"],
    transcript_path: first["transcript_path"],
    cwd: first["cwd"],
  };
  return [
    ...events,
    { offsetMs: last + 100, input: { ...base, hook_event_name: "SessionStart", source: "resume" } },
    {
      offsetMs: last + 200,
      input: {
        ...base,
        hook_event_name: "UserPromptSubmit",
        prompt: "and now?",
        prompt_id: "p-after-resume",
      },
    },
    {
      offsetMs: last + 300,
      input: { ...base, hook_event_name: "Stop", stop_hook_active: false, background_tasks: [] },
    },
    { offsetMs: last + 400, input: { ...base, hook_event_name: "SessionEnd", reason: "other" } },
  ];
}

async function runSession(world: World): Promise<ReplayReport> {
  return replay(wholeSession(), {
    pluginRoot: REPO_ROOT,
    projectDir: world.project,
    speed: 0,
    // A wide window keeps the control's "one batch" true on a loaded machine.
    env: { HOME: world.home, BG_NOTIFY_BATCH_WINDOW_MS: "3000" },
  });
}

interface Plant {
  name: string;
  plant: (w: World) => void;
  /** The path the explaining line names. */
  names: (w: World) => string;
}

type At = (w: World) => string;

/** A link at `at` (planted with the state directory made first, unless `inState` is false) to `target`. */
function linkPlant(name: string, at: At, target: At, inState = true): Plant {
  return {
    name,
    plant: (w) => {
      mkdirSync(inState ? w.state : w.claude, { recursive: true });
      symlinkSync(target(w), at(w));
    },
    names: at,
  };
}

const inHome =
  (...parts: string[]): At =>
  (w) =>
    join(w.home, ...parts);
const inState =
  (entry: string): At =>
  (w) =>
    join(w.state, entry);

const DIR_ENTRIES = ["inbox", "folded", "state.lock"];
const FILE_ENTRIES = [
  "state.json",
  "journal.jsonl",
  "journal.1.jsonl",
  "events.jsonl",
  ".gitignore",
  "nothing-owed",
  "nothing-running",
];

const PLANTS: Plant[] = [
  {
    name: ".claude → the home directory",
    plant: (w) => {
      mkdirSync(w.project, { recursive: true });
      symlinkSync(w.home, w.claude);
    },
    names: (w) => w.claude,
  },
  {
    name: ".claude → a dangling path",
    plant: (w) => symlinkSync(join(w.home, "nowhere"), w.claude),
    names: (w) => w.claude,
  },
  linkPlant(".claude/bg-notify → a directory in home", (w) => w.state, inHome("victim"), false),
  linkPlant(".claude/bg-notify → a dangling path", (w) => w.state, inHome("nowhere"), false),
  ...DIR_ENTRIES.flatMap((entry) => [
    linkPlant(`${entry} → a directory in home`, inState(entry), inHome("victim")),
    linkPlant(`${entry} → a dangling path`, inState(entry), inHome("nowhere")),
  ]),
  ...FILE_ENTRIES.flatMap((entry) => [
    linkPlant(`${entry} → ~/.bashrc`, inState(entry), inHome(".bashrc")),
    linkPlant(
      `${entry} → a dangling ~/.config/git/ignore`,
      inState(entry),
      inHome(".config", "git", "ignore"),
    ),
  ]),
  linkPlant("state.json → /dev/zero", inState("state.json"), () => "/dev/zero"),
  {
    name: "a lock the repository ships (state.lock/.gitkeep)",
    plant: (w) => {
      mkdirSync(join(w.state, "state.lock"), { recursive: true });
      writeFileSync(join(w.state, "state.lock", ".gitkeep"), "");
    },
    names: (w) => join(w.state, "state.lock"),
  },
  linkPlant("the config file → ~/.bashrc", (w) => join(w.claude, "bg-notify.json"), inHome(".bashrc"), false),
];

function assertHarmless(report: ReplayReport, label: string): void {
  for (const event of report.events)
    for (const run of event.runs) {
      assert.equal(
        run.exitCode,
        0,
        `${label}: ${event.summary}/${run.handler} exit ${run.exitCode}: ${run.stderr}`,
      );
      assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /, `${label}: a stack trace`);
    }
  assert.equal(report.notices, 3, label);
  assert.equal(report.blockedNotices, 0, `${label}: nothing is held`);
  assert.equal(report.nativeWakeUps, 3, `${label}: every notice reaches the model natively`);
  assert.equal(report.pluginWakeUps, 0, label);
}

/** The SessionStart lines the person sees (systemMessage). */
function sessionStartMessages(report: ReplayReport): string {
  return report.events
    .filter((e) => e.event === "SessionStart")
    .flatMap((e) => e.runs)
    .map((r) => (r.stdout.trim() ? String(JSON.parse(r.stdout).systemMessage ?? "") : ""))
    .join("\n");
}

test("control: in a clean project the same session holds the notices and wakes once", async (t) => {
  const world = makeWorld();
  t.after(() => rmSync(world.root, { recursive: true, force: true }));
  const home = snapshot(world.home);
  const report = await runSession(world);
  assert.equal(
    report.blockedNotices,
    3,
    "the plugin holds in a clean project: the plants below are what stop it",
  );
  assert.equal(report.pluginWakeUps, 1);
  assert.deepEqual(snapshot(world.home), home);
});

for (const plant of PLANTS) {
  test(`planted ${plant.name}: nothing outside the state directory changes, every notice passes natively`, async (t) => {
    const world = makeWorld();
    t.after(() => rmSync(world.root, { recursive: true, force: true }));
    plant.plant(world);
    const home = snapshot(world.home);
    const project = snapshot(world.project, world.state);
    const report = await runSession(world);
    assertHarmless(report, plant.name);
    assert.deepEqual(snapshot(world.home), home, "the stand-in home is unchanged");
    assert.deepEqual(
      snapshot(world.project, world.state),
      project,
      "the project outside the state directory is unchanged",
    );
    // Said once per session start, naming what is wrong.
    const said = sessionStartMessages(report);
    assert.ok(said.includes(plant.names(world)), `${plant.name}: SessionStart names the path; said: ${said}`);
    assert.match(said, /natively/);
  });
}
