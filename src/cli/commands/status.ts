// `bg-notify status`: what the state holds right now, read lock-free: tasks by state, batches still owed
// (age against the window), recent deliveries, and whether the lock looks healthy.

import { existsSync } from "node:fs";
import { limitsFrom } from "../../core/config.js";
import {
  ENDED_UNKNOWN_TEXT,
  ENDED_UNKNOWN_WHY,
  endedWithoutOutcome,
  isActive,
} from "../../core/lifecycle.js";
import type { BackgroundTask } from "../../core/types.js";
import { QUEUED_INPUTS } from "../../plugin/inbox-fold.js";
import { loadConfig } from "../../store/config-file.js";
import { readEventLines } from "../../store/file-store.js";
import { readModuleSessions, withModuleSessions } from "../../store/module-records.js";
import { readState } from "../../store/transaction.js";
import {
  COMMON_OPTIONS,
  EXIT_FAILURE,
  EXIT_OK,
  STATE_OPTIONS,
  stateLocation,
  stringOption,
} from "../args.js";
import type { Command } from "../command.js";
import {
  type BatchView,
  describeLock,
  type LockHealth,
  lockHealth,
  savingsLine,
  savingsView,
  viewState,
} from "../inspect.js";
import { formatDuration, type Style, shorten } from "../output.js";

const HELP = `Usage: bg-notify status [--session ID] [options]

Shows the plugin's state for this project without taking the lock: tasks by state, batches not yet
delivered (their age against the batch window), recent deliveries, what bg-notify saved (wake-ups used
against those Claude Code would have used, and the input tokens of the turns spared, from each
session's transcript), and the state lock's health.

Options:
  --session ID       only this parent session (default: all sessions)
  --state-dir DIR    read this state directory (default: BG_NOTIFY_STATE_DIR, else
                     <project>/.claude/bg-notify with the project from --project-dir,
                     CLAUDE_PROJECT_DIR or the current directory)
  --project-dir DIR  the project whose state and .claude/bg-notify.json to use
  --json             print one JSON object
  -h, --help         show this help

Exit status: 0 shown; 1 the state directory or file cannot be read; 2 bad arguments.`;

const RECENT = 5;
const FINISHED_SHOWN = 10;

function statusWord(task: BackgroundTask, style: Style): string {
  if (endedWithoutOutcome(task)) return style.dim("ended".padEnd(9));
  const word = task.status === "error" ? "failed" : task.status;
  const padded = word.padEnd(9);
  if (task.status === "error") return style.red(padded);
  if (task.status === "running" || task.status === "pending") return style.cyan(padded);
  return padded;
}

function taskLine(task: BackgroundTask, now: number, style: Style, showSession: boolean): string {
  const when =
    task.completedAt !== undefined
      ? `finished ${formatDuration(now - task.completedAt)} ago`
      : task.startedAt !== undefined
        ? `started ${formatDuration(now - task.startedAt)} ago`
        : "";
  const code = endedWithoutOutcome(task)
    ? ` (${ENDED_UNKNOWN_WHY})`
    : task.exitCode !== undefined
      ? `, exit ${task.exitCode}`
      : "";
  const session = showSession ? `${shorten(task.parentSessionId, 9)}  ` : "";
  return `  ${statusWord(task, style)} ${session}${task.kind.padEnd(5)} ${task.id.padEnd(12)} ${shorten(task.description || task.command || "", 40).padEnd(40)} ${style.dim(when + code)}`;
}

function batchLine(batch: BatchView, windowMs: number, style: Style): string {
  const due =
    batch.dueInMs > 0
      ? `due in ${formatDuration(batch.dueInMs)}`
      : style.yellow(`overdue by ${formatDuration(-batch.dueInMs)}`);
  return `  ${batch.id}  session ${shorten(batch.parentSessionId, 9)}  ${batch.tasks} task(s)  age ${formatDuration(batch.ageMs)} / window ${formatDuration(windowMs)}  ${due}`;
}

export function lockLine(lock: LockHealth, style: Style): string {
  const { trouble, text } = describeLock(lock);
  return trouble ? style.red(text) : text;
}

export const statusCommand: Command = {
  name: "status",
  summary: "tasks, undelivered batches, recent deliveries and lock health",
  help: HELP,
  options: { ...COMMON_OPTIONS, ...STATE_OPTIONS, session: { type: "string" } },

  async run(parsed, { io }) {
    const location = stateLocation(parsed, io.env, io.cwd);
    const sessionId = stringOption(parsed, "session");
    const { config, warnings } = loadConfig({ env: location.env, cwd: location.cwd });
    const now = Date.now();
    const exists = existsSync(location.dir);
    const stateWarnings: string[] = [];
    // Sessions the hooks module held keep their state in Claude Code's plugin store, not the project's.
    const moduleSessions = (
      location.project !== undefined ? readModuleSessions(location.env, location.project, stateWarnings) : []
    ).filter((s) => sessionId === undefined || s.sessionId === sessionId);
    const state = withModuleSessions(
      readState(location.layout, stateWarnings, QUEUED_INPUTS),
      moduleSessions,
    );
    const damaged = stateWarnings.length > 0;
    warnings.push(...stateWarnings);
    const view = viewState(state, now, limitsFrom(config), sessionId);
    const savings = savingsView(state, sessionId);
    // Sessions bg-notify stepped aside for (core/host.ts): every notice passed natively, and why.
    const asides = Object.entries(state.hosts ?? {})
      .filter(([id, h]) => h.aside !== undefined && (sessionId === undefined || id === sessionId))
      .sort((a, b) => b[1].at - a[1].at)
      .map(([id, h]) => ({
        sessionId: id,
        why: h.aside as string,
        ...(h.version ? { claudeCode: h.version } : {}),
      }));
    const lock = lockHealth(location.dir, now);
    // Notice kinds this version does not know passed through untouched; counted so a user can report them.
    const unrecognised = readEventLines(location.layout).filter(
      (e) =>
        e.type === "unrecognised_notice" &&
        (sessionId === undefined || (e.payload as { sessionId?: string } | null)?.sessionId === sessionId),
    );

    if (parsed.values["json"] === true) {
      io.out(
        JSON.stringify(
          {
            stateDir: location.dir,
            exists,
            ...(sessionId !== undefined ? { sessionId } : {}),
            config: {
              mode: config.mode,
              batchWindowMs: config.batchWindowMs,
              maxBatchSize: config.maxBatchSize,
            },
            counts: view.counts,
            tasks: view.tasks,
            undelivered: view.undelivered,
            recentDeliveries: view.delivered.slice(0, RECENT),
            lock,
            layers: moduleSessions.map((m) => ({
              sessionId: m.sessionId,
              layer: m.layer.name,
              why: m.layer.why,
            })),
            unrecognisedNotices: unrecognised.length,
            steppedAside: asides,
            savings,
            warnings,
          },
          null,
          2,
        ),
      );
      return damaged ? EXIT_FAILURE : EXIT_OK;
    }

    const { style } = io;
    for (const warning of warnings) io.err(warning);
    const scope = sessionId !== undefined ? `session ${sessionId}` : "all sessions";
    const lines = [style.bold(`bg-notify status · ${scope} · ${location.dir}`)];
    if (!exists) lines.push(style.dim("no state yet: nothing has been recorded in this project"));
    const c = view.counts;
    lines.push(
      `Tasks: ${c.running} running · ${c.pending} pending · ${c.completed} completed · ${c.error} failed · ${c.cancelled} cancelled` +
        (c.ended > 0 ? ` · ${c.ended} ${ENDED_UNKNOWN_TEXT}` : ""),
    );
    if (view.foreground > 0)
      lines.push(
        style.dim(`  (+${view.foreground} foreground agent(s): not background tasks, never batched)`),
      );
    const showSession = sessionId === undefined && new Set(view.tasks.map((t) => t.parentSessionId)).size > 1;
    const active = view.tasks.filter((t) => isActive(t) && !endedWithoutOutcome(t));
    const finished = view.tasks.filter((t) => !active.includes(t));
    for (const task of [...active, ...finished.slice(0, FINISHED_SHOWN)])
      lines.push(taskLine(task, now, style, showSession));
    if (finished.length > FINISHED_SHOWN)
      lines.push(style.dim(`  … ${finished.length - FINISHED_SHOWN} more finished (see --json)`));
    lines.push(
      `Undelivered: ${view.undelivered.length} batch(es), ${view.owedTasks} task(s) · mode ${config.mode}, window ${formatDuration(config.batchWindowMs)}, max ${config.maxBatchSize}`,
    );
    for (const batch of view.undelivered) lines.push(batchLine(batch, config.batchWindowMs, style));
    lines.push(`Recent deliveries: ${view.delivered.length === 0 ? "none" : ""}`.trimEnd());
    for (const batch of view.delivered.slice(0, RECENT)) {
      const ago = formatDuration(now - (batch.deliveredAt ?? now));
      lines.push(
        `  ${batch.id}  session ${shorten(batch.parentSessionId, 9)}  ${batch.tasks} task(s) (${batch.taskIds.join(", ")})  via ${batch.deliveredVia ?? "?"}  ${ago} ago`,
      );
    }
    if (savings.sessions.length > 0) {
      lines.push(`Savings: ${savingsLine(savings.total)}`);
      if (savings.sessions.length > 1)
        for (const one of savings.sessions.slice(0, RECENT))
          lines.push(`  session ${shorten(one.sessionId, 9)}  ${savingsLine(one)}`);
    }
    if (unrecognised.length > 0)
      lines.push(
        style.yellow(
          `Unrecognised notices: ${unrecognised.length} passed through untouched (bg-notify events --type unrecognised_notice; please report them)`,
        ),
      );
    for (const a of asides.slice(0, RECENT))
      lines.push(
        style.yellow(
          `Stepped aside: session ${shorten(a.sessionId, 9)}  ${a.why}; every notice passed natively`,
        ),
      );
    for (const m of moduleSessions.slice(0, RECENT))
      lines.push(
        `Layer: session ${shorten(m.sessionId, 9)}  ${m.layer.name === "module" ? "hooks module (in-process)" : "command hooks"}  ${style.dim(m.layer.why)}`,
      );
    lines.push(`Lock: ${lockLine(lock, style)}`);
    io.out(lines.join("\n"));
    return damaged ? EXIT_FAILURE : EXIT_OK;
  },
};
