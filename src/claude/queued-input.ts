// What hooks/run queues in the state directory's inbox instead of starting node: a hook input, verbatim.
// Two kinds are queued: a background shell's launch (PostToolUse) and a typed prompt's turn
// (UserPromptSubmit, when nothing is owed). Anything else is not one of ours.
import { isBgNotifyError } from "../core/errors.js";
import { isId } from "../core/guards.js";
import { type HookInput, parseHookInput } from "./hook-input.js";
import { shellLaunchFrom } from "./launch.js";
import type { LaunchInfo } from "./track-launches.js";

export type QueuedInput =
  | { kind: "launch"; parent: string; launch: LaunchInfo }
  | { kind: "prompt"; parent: string; promptId: string };

/** The entry a queued file holds; undefined for a bad file or an input hooks/run never queues. */
export function queuedInput(text: string): QueuedInput | undefined {
  let input: HookInput;
  try {
    input = parseHookInput(text);
  } catch (error) {
    if (isBgNotifyError(error, "EINPUT")) return undefined;
    throw error;
  }
  if (input.hook_event_name === "PostToolUse") {
    const launch = shellLaunchFrom(input);
    return launch ? { kind: "launch", parent: input.session_id, launch } : undefined;
  }
  // hooks/run queues no prompt that mentions a notice: those are node's to record.
  if (
    input.hook_event_name === "UserPromptSubmit" &&
    isId(input.prompt_id) &&
    typeof input.prompt === "string" &&
    !input.prompt.includes("task-notification")
  )
    return { kind: "prompt", parent: input.session_id, promptId: input.prompt_id };
  return undefined;
}
