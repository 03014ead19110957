// Hook entry: SubagentStop. Reads stdin, runs the handler, maps its result to stdout and the exit code.
import { runHookProcess } from "../hook-runtime.js";
import { handleSubagentStop } from "../hooks/subagent.js";

void runHookProcess("SubagentStop", "SubagentStop", handleSubagentStop, { deadlineMs: 8000 });
