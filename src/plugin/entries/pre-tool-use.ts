// Hook entry: PreToolUse. Its row in hook-table.ts says how long it may run; runtime.ts does the rest.
import { handlePreToolUse } from "../handlers/tool-use.js";
import { runHookProcess } from "../runtime.js";

void runHookProcess("pre-tool-use", handlePreToolUse);
