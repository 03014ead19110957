// Hook entry: UserPromptSubmit. Its row in hook-table.ts says how long it may run; runtime.ts does the rest.
import { handleUserPromptSubmit } from "../handlers/user-prompt-submit.js";
import { runHookProcess } from "../runtime.js";

void runHookProcess("user-prompt-submit", handleUserPromptSubmit);
