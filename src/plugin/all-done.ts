// The command hooks' "all background work done" signal. They have no notification means of Claude
// Code's to call, so it is the command the person names in BG_NOTIFY_ALL_DONE_COMMAND (their settings'
// `env`; never the project's bg-notify.json), started detached with the words in BG_NOTIFY_MESSAGE.
import { spawn } from "node:child_process";
import { type AllDone, allDoneText } from "../core/all-done.js";
import { describeError } from "../core/errors.js";
import type { HookContext } from "./context.js";

export const ALL_DONE_COMMAND_ENV = "BG_NOTIFY_ALL_DONE_COMMAND";

export function signalAllDone(ctx: HookContext, done: AllDone): void {
  const command = ctx.env[ALL_DONE_COMMAND_ENV];
  if (!command) {
    ctx.warnings.push(
      `bg-notify: all background work is done, but with the command hooks "notifyAllDone" needs ${ALL_DONE_COMMAND_ENV} (a command to run) to say so`,
    );
    return;
  }
  try {
    // Detached and not waited for: the hook answers Claude Code at once, whatever the command does.
    const child = spawn("sh", ["-c", command], {
      detached: true,
      stdio: "ignore",
      env: { ...ctx.env, BG_NOTIFY_MESSAGE: allDoneText(done) },
    });
    child.on("error", () => {});
    child.unref();
  } catch (error) {
    ctx.warnings.push(`bg-notify: ${ALL_DONE_COMMAND_ENV} could not be started (${describeError(error)})`);
  }
}
