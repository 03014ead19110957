// Hook entry: SessionEnd. Reads stdin, runs the handler, maps its result to stdout and the exit code.
import { runHookProcess } from "../hook-runtime.js";
import { handleSessionEnd } from "../hooks/session.js";

void runHookProcess("SessionEnd", "SessionEnd", handleSessionEnd, { deadlineMs: 1000 });
