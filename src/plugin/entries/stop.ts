// Hook entry: Stop. Its row in hook-table.ts says how long it may run; runtime.ts does the rest.
import { handleStop } from "../handlers/session.js";
import { runHookProcess } from "../runtime.js";

void runHookProcess("stop", handleStop);
