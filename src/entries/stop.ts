// Hook entry: Stop. Reads stdin, runs the handler, maps its result to stdout and the exit code.
import { runHookProcess } from "../hook-runtime.js";
import { handleStop } from "../hooks/session.js";

void runHookProcess("Stop", "Stop", handleStop, { deadlineMs: 8000 });
