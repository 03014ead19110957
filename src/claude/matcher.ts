// How Claude Code picks the hooks of an event for an input: the event's name, then the hook group's
// matcher, matched whole against the tool's name (tool events), the source (SessionStart) or the agent type.

export function matcherAccepts(
  event: string,
  matcher: string | undefined,
  input: Readonly<Record<string, unknown>>,
): boolean {
  if (event !== input["hook_event_name"]) return false;
  if (!matcher || matcher === "*") return true;
  const subject = input["tool_name"] ?? input["source"] ?? input["agent_type"];
  if (typeof subject !== "string") return true;
  return new RegExp(`^(?:${matcher})$`).test(subject);
}
