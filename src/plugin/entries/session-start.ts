// Hook entry: SessionStart. Its row in hook-table.ts says how long it may run; runtime.ts does the rest.
import { handleSessionStart } from "../handlers/session.js";
import { runHookProcess } from "../runtime.js";

void runHookProcess("session-start", handleSessionStart);
