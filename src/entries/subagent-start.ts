// Hook entry: SubagentStart. Reads stdin, runs the handler, maps its result to stdout and the exit code.
import { runHookProcess } from "../hook-runtime.js";
import { handleSubagentStart } from "../hooks/subagent.js";

void runHookProcess("SubagentStart", "SubagentStart", handleSubagentStart, { deadlineMs: 8000 });
