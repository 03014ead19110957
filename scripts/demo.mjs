// `npm run demo`: replays a real Claude Code session (three background shells) through the shipped hooks
// twice, without and with bg-notify's coalescing, and shows the wake-ups side by side. Plain node, offline,
// deterministic (the replay's virtual clock); needs only the committed dist/.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, "dist", "cli.js");
const fixture = join(root, "test", "fixtures", "three-background-shells.jsonl");
const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
const bold = (text) => (colour ? `\u001b[1m${text}\u001b[22m` : text);
const dim = (text) => (colour ? `\u001b[2m${text}\u001b[22m` : text);

if (!existsSync(cli)) {
  console.error(`demo: ${relative(process.cwd(), cli)} is missing; run \`npm run build\` first`);
  process.exit(1);
}

// The demo shows the defaults: settings from the caller's shell would change the story.
const env = { ...process.env, NO_COLOR: "1" };
for (const name of [
  "BG_NOTIFY_MODE",
  "BG_NOTIFY_BATCH_WINDOW_MS",
  "BG_NOTIFY_MAX_BATCH_SIZE",
  "BG_NOTIFY_STATE_DIR",
])
  delete env[name];

function replay(mode) {
  const args = [cli, "replay", fixture, "--instant", "--json", "--mode", mode];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error)
        reject(new Error(`bg-notify replay --mode ${mode} failed: ${stderr.trim() || error.message}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

/** When the parent woke: each notice that reached it on its own, and each rewake delivery. */
function wakeUps(report) {
  const native = report.events
    .filter((e) => e.summary.startsWith("notice:") && !e.runs.some((r) => r.blocked))
    .map((e) => e.offsetMs);
  const plugin = report.deliveries.filter((d) => d.kind === "rewake").map((d) => d.atMs);
  return [...native, ...plugin].sort((a, b) => a - b);
}

let off;
let on;
try {
  [off, on] = await Promise.all([replay("off"), replay("coalesce")]);
} catch (error) {
  console.error(`demo: ${error.message}`);
  process.exit(1);
}

const row = (label, left, right) => `  ${label.padEnd(28)}${String(left).padEnd(30)}${right}`;
const times = (list) => list.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(", ") || "none";
const offWakes = wakeUps(off);
const onWakes = wakeUps(on);
const combined = on.deliveries.find((d) => d.kind === "rewake");
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

const lines = [
  bold("bg-notify demo: one Claude Code session, replayed through the plugin's hooks"),
  dim(`  ${relative(root, fixture)}: recorded from Claude Code 2.1.332. One turn starts three`),
  dim("  background shells (sleep 1; sleep 1.2; sleep 1.4 then exit 3). Each one that finishes sends the"),
  dim("  parent its own <task-notification>, and each notice starts a new turn of the model."),
  "",
  row("", bold("without bg-notify"), bold("with bg-notify")),
  row("", dim("(BG_NOTIFY_MODE=off)"), dim(`(coalesce, ${on.batchWindowMs} ms window)`)),
  row("completions", off.notices, on.notices),
  row(
    "notices starting a turn",
    off.nativeWakeUps,
    `${on.nativeWakeUps} (${on.blockedNotices} held: in the conversation, no turn)`,
  ),
  row("parent wake-ups", off.wakeUps, on.wakeUps),
  row(
    "the model reads",
    `${plural(off.notices, "notice")}, one per request`,
    `${plural(on.notices, "notice")} + their summary, in one request`,
  ),
  row("woken at", times(offWakes), times(onWakes)),
  row(
    "",
    bold(`${plural(off.notices, "completion")} → ${plural(off.wakeUps, "wake-up")}`),
    bold(`${plural(on.notices, "completion")} → ${plural(on.wakeUps, "wake-up")}`),
  ),
  "",
];
if (combined) {
  lines.push(bold("The one combined notice the parent received (the asyncRewake hook's stderr, exit 2):"));
  lines.push(...combined.text.split("\n").map((line) => `  │ ${line}`));
  lines.push("");
}
lines.push(
  dim("Each run fired every hook hooks/hooks.json names, as separate node processes of dist/, on a virtual"),
  dim("clock (deterministic). See every handler's output and exit code with:"),
  `  node dist/cli.js replay ${relative(root, fixture)} --speed 2`,
);
console.log(lines.join("\n"));

// The demo is also a check: say so plainly if the plugin did not do its job.
if (
  off.wakeUps !== off.notices ||
  on.wakeUps !== 1 ||
  !combined ||
  on.handlerErrors + off.handlerErrors > 0
) {
  console.error("demo: unexpected result: bg-notify did not turn the completions into exactly one wake-up");
  process.exit(1);
}
