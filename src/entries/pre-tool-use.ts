// Hook entry: PreToolUse. Reads stdin, runs the handler, maps its result to stdout and the exit code.
import { runHookProcess } from "../hook-runtime.js";
import { handlePreToolUse } from "../hooks/tool-use.js";

void runHookProcess("PreToolUse", "PreToolUse", handlePreToolUse, { deadlineMs: 4000 });
