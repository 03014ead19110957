// Hook entry: SubagentStart. Its row in hook-table.ts says how long it may run; runtime.ts does the rest.
import { handleSubagentStart } from "../handlers/subagent.js";
import { runHookProcess } from "../runtime.js";

void runHookProcess("subagent-start", handleSubagentStart);
