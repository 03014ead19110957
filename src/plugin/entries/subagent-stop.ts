// Hook entry: SubagentStop. Its row in hook-table.ts says how long it may run; runtime.ts does the rest.
import { handleSubagentStop } from "../handlers/subagent.js";
import { runHookProcess } from "../runtime.js";

void runHookProcess("subagent-stop", handleSubagentStop);
