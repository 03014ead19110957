// Hook entry: SessionStart. Reads stdin, runs the handler, maps its result to stdout and the exit code.
import { runHookProcess } from "../hook-runtime.js";
import { handleSessionStart } from "../hooks/session.js";

void runHookProcess("SessionStart", "SessionStart", handleSessionStart, { deadlineMs: 8000 });
