// What the launcher's queued inputs mean (hooks/run writes them instead of starting node): a background
// shell's launch, now running, or a typed prompt's turn. The store folds them with this, given by the plugin.
import { type QueuedInput, queuedInput } from "../claude/queued-input.js";
import { recordLaunch } from "../claude/track-launches.js";
import { notePromptTurn } from "../claude/track-turns.js";
import type { InboxFold } from "../store/launch-inbox.js";

export const QUEUED_INPUTS: InboxFold<QueuedInput> = {
  parse: queuedInput,
  apply(state, entry, at) {
    if (entry.kind === "launch") recordLaunch(state, entry.parent, entry.launch, at);
    else notePromptTurn(state, entry.parent, entry.promptId, at);
  },
};
