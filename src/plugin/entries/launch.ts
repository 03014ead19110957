// Hook entry: PostToolUse (Bash), async. Its row in hook-table.ts says how long it may run; runtime.ts does the rest.
import { handleLaunch } from "../handlers/tool-use.js";
import { runHookProcess } from "../runtime.js";

void runHookProcess("launch", handleLaunch);
