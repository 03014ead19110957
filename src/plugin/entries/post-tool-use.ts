// Hook entry: PostToolUse. Its row in hook-table.ts says how long it may run; runtime.ts does the rest.
import { handlePostToolUse } from "../handlers/tool-use.js";
import { runHookProcess } from "../runtime.js";

void runHookProcess("post-tool-use", handlePostToolUse);
