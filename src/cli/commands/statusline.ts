// `bg-notify statusline`: one short line for Claude Code's `statusLine` command, run on every refresh, so
// it takes no lock and reads two files at most. Claude Code's JSON on stdin names the session and project.
import { resolve } from "node:path";
import { isBgNotifyError } from "../../core/errors.js";
import { QUEUED_INPUTS } from "../../plugin/inbox-fold.js";
import { readModuleSessions, withModuleSessions } from "../../store/module-records.js";
import { resolveStateLayout } from "../../store/paths.js";
import { readState } from "../../store/transaction.js";
import { COMMON_OPTIONS, EXIT_OK, STATE_OPTIONS, stringOption } from "../args.js";
import type { Command } from "../command.js";
import { formatTokens, savingsView, viewState } from "../inspect.js";

const HELP = `Usage: bg-notify statusline [options]

Prints one short line about this session's background tasks, e.g. "bg 2 running · 3 done (1 failed)",
for Claude Code's statusLine setting (~/.claude/settings.json):

  {"statusLine": {"type": "command", "command": "node /path/to/plugin/dist/cli.js statusline"}}

It reads the JSON Claude Code sends on stdin (session_id, workspace.project_dir, cwd) when there is
any (never waiting long), takes no lock and reads the project's state file and, for a session the
hooks module holds, its record in Claude Code's plugin store. Prints "bg idle" when nothing is tracked.

Options:
  --session ID       this parent session (default: session_id from stdin, else all sessions)
  --state-dir DIR    read this state directory (default: BG_NOTIFY_STATE_DIR, else <project>/.claude/bg-notify)
  --project-dir DIR  the project (default: CLAUDE_PROJECT_DIR, workspace.project_dir from stdin, cwd)
  --savings          add what bg-notify saved this session: "· 4 wake-ups saved · ≈80.2 k tokens"
                     (reads the tail of the session's transcript on each refresh)
  --json             print the counts as JSON
  -h, --help         show this help

Exit status: 0 (also when the state cannot be read: the line says so); 2 bad arguments.`;

/** Claude Code writes its JSON and closes stdin at once; anything slower is not Claude Code. */
const STDIN_WAIT_MS = 150;
const STDIN_MAX_BYTES = 1024 * 1024;

async function readStatusInput(
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
): Promise<Record<string, unknown>> {
  if (stdin.isTTY) return {};
  const text = await new Promise<string>((done) => {
    let data = "";
    const finish = () => {
      clearTimeout(timer);
      stdin.removeListener("data", onData);
      stdin.removeListener("end", finish);
      stdin.removeListener("error", finish);
      (stdin as { pause?: () => void }).pause?.();
      (stdin as { destroy?: () => void }).destroy?.();
      done(data);
    };
    const onData = (chunk: Buffer | string) => {
      data += chunk.toString();
      if (data.length > STDIN_MAX_BYTES) finish();
    };
    const timer = setTimeout(finish, STDIN_WAIT_MS);
    stdin.on("data", onData);
    stdin.once("end", finish);
    stdin.once("error", finish);
  });
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export const statuslineCommand: Command = {
  name: "statusline",
  summary: "one short line for Claude Code's statusLine setting",
  help: HELP,
  options: { ...COMMON_OPTIONS, ...STATE_OPTIONS, session: { type: "string" }, savings: { type: "boolean" } },

  async run(parsed, { io }) {
    const input = await readStatusInput(io.stdin);
    const workspace = (input["workspace"] ?? {}) as Record<string, unknown>;
    const sessionId = stringOption(parsed, "session") ?? text(input["session_id"]);
    const stateOption = stringOption(parsed, "state-dir");
    const projectOption = stringOption(parsed, "project-dir");
    const env = { ...io.env };
    const project =
      projectOption ??
      (env["CLAUDE_PROJECT_DIR"] ? undefined : (text(workspace["project_dir"]) ?? text(input["cwd"])));
    if (project !== undefined) {
      env["CLAUDE_PROJECT_DIR"] = resolve(io.cwd, project);
      if (projectOption !== undefined) delete env["BG_NOTIFY_STATE_DIR"];
    }
    // A state directory found from the project is checked as the store checks it: no link is followed.
    const layout =
      stateOption !== undefined
        ? { dir: resolve(io.cwd, stateOption) }
        : resolveStateLayout({ env, cwd: io.cwd });
    const dir = layout.dir;

    let line: string;
    let counts: Record<string, number | undefined> | undefined;
    try {
      const warnings: string[] = [];
      // A session the hooks module holds keeps its tasks in Claude Code's plugin store.
      const moduleProject = env["CLAUDE_PROJECT_DIR"] ?? io.cwd;
      const moduleSessions = readModuleSessions(
        env,
        sessionId === undefined ? moduleProject : undefined,
      ).filter((s) => sessionId === undefined || s.sessionId === sessionId);
      const state = withModuleSessions(readState(layout, warnings, QUEUED_INPUTS), moduleSessions);
      // The batch window does not matter for counting; only the tally is used.
      const view = viewState(state, Date.now(), { batchWindowMs: 0, maxBatchSize: 1 }, sessionId);
      const c = view.counts;
      const running = c.running + c.pending;
      // Ended with an outcome unknown to bg-notify: done, whatever the outcome was.
      const done = c.completed + c.error + c.cancelled + c.ended;
      const failed = c.error;
      counts = { running, done, failed, cancelled: c.cancelled, owed: view.owedTasks };
      const parts: string[] = [];
      if (running > 0) parts.push(`${running} running`);
      if (done > 0) parts.push(`${done} done${failed > 0 ? ` (${failed} failed)` : ""}`);
      if (view.owedTasks > 0) parts.push(`${view.owedTasks} to report`);
      line =
        warnings.length > 0
          ? "bg ? (state damaged)"
          : parts.length > 0
            ? `bg ${parts.join(" · ")}`
            : "bg idle";
      if (parsed.values["savings"] === true && warnings.length === 0) {
        const saved = savingsView(state, sessionId).total;
        if (saved.completions > 0) {
          line += ` · ${saved.savedWakeUps} wake-up${saved.savedWakeUps === 1 ? "" : "s"} saved`;
          if (saved.tokensSaved !== undefined) line += ` · ${formatTokens(saved.tokensSaved)}`;
          counts = { ...counts, savedWakeUps: saved.savedWakeUps, tokensSaved: saved.tokensSaved };
        }
      }
    } catch (error) {
      // A state directory bg-notify will not touch: it holds nothing in this project until it is fixed.
      line = isBgNotifyError(error, "EUNSAFE") ? "bg off (see bg-notify doctor)" : "bg ? (state unreadable)";
    }
    if (parsed.values["json"] === true) {
      io.out(
        JSON.stringify({
          line,
          ...(sessionId !== undefined ? { sessionId } : {}),
          stateDir: dir,
          ...(counts ?? {}),
        }),
      );
    } else {
      io.out(line);
    }
    return EXIT_OK;
  },
};
