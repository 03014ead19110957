// Hook entry: SessionEnd. Its row in hook-table.ts says how long it may run; runtime.ts does the rest.
import { handleSessionEnd } from "../handlers/session.js";
import { runHookProcess } from "../runtime.js";

void runHookProcess("session-end", handleSessionEnd);
