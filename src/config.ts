// Configuration: defaults, overridden by `<project>/.claude/bg-notify.json`, then by environment variables.
// Pure: the caller reads the file; an invalid value gives one clear line naming the key, and defaults apply.
import * as z from "zod/mini";
import type { BgNotifyConfig, Mode } from "./types.js";

export const DEFAULT_CONFIG: Readonly<BgNotifyConfig> = Object.freeze({
  batchWindowMs: 1000,
  maxBatchSize: 5,
  mode: "coalesce" as Mode,
  modelConcurrency: Object.freeze({ haiku: 5, sonnet: 3, opus: 2 }) as Record<string, number>,
  defaultConcurrency: 3,
  staleTimeoutMs: 30 * 60 * 1000,
  reconcileGraceMs: 10_000,
  taskTtlMs: 60 * 60 * 1000,
  deliveredTtlMs: 60 * 60 * 1000,
  resultExcerptChars: 600,
});

const nonNegativeInt = z.int().check(z.minimum(0));
const fileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  batchWindowMs: z.optional(nonNegativeInt.check(z.maximum(60_000))),
  maxBatchSize: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
  mode: z.optional(z.enum(["coalesce", "summarize", "off"])),
  modelConcurrency: z.optional(z.record(z.string(), nonNegativeInt)),
  defaultConcurrency: z.optional(nonNegativeInt),
  staleTimeoutMs: z.optional(nonNegativeInt),
  reconcileGraceMs: z.optional(nonNegativeInt),
  taskTtlMs: z.optional(nonNegativeInt),
  deliveredTtlMs: z.optional(nonNegativeInt),
  resultExcerptChars: z.optional(z.int().check(z.minimum(0), z.maximum(5000))),
});

export const CONFIG_FILE_NAME = "bg-notify.json";

export interface ConfigResult {
  config: BgNotifyConfig;
  warnings: string[];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown key "${issue.keys.join('", "')}"`;
  const key = issue.path.join(".") || "(root)";
  const expected = "expected" in issue && issue.expected ? ` (expected ${String(issue.expected)})` : "";
  const range =
    issue.code === "too_small"
      ? ` (must be at least ${String(issue.minimum)})`
      : issue.code === "too_big"
        ? ` (must be at most ${String(issue.maximum)})`
        : issue.code === "invalid_value"
          ? ` (one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")})`
          : "";
  return `key "${key}" is invalid${expected}${range}`;
}

/** `fileText` is the config file's content, or undefined when there is none. */
export function resolveConfig(
  fileText: string | undefined,
  env: NodeJS.ProcessEnv,
  filePath = CONFIG_FILE_NAME,
): ConfigResult {
  const warnings: string[] = [];
  const config: BgNotifyConfig = {
    ...DEFAULT_CONFIG,
    modelConcurrency: { ...DEFAULT_CONFIG.modelConcurrency },
  };
  if (fileText !== undefined && fileText.trim() !== "") {
    let raw: unknown;
    try {
      raw = JSON.parse(fileText);
    } catch {
      warnings.push(`bg-notify: ${filePath} is not valid JSON; using defaults`);
    }
    if (raw !== undefined) {
      const parsed = fileSchema.safeParse(raw);
      if (parsed.success) {
        const { $schema: _, modelConcurrency, ...rest } = parsed.data;
        Object.assign(config, rest);
        if (modelConcurrency) Object.assign(config.modelConcurrency, modelConcurrency);
      } else {
        const issue = parsed.error.issues[0];
        warnings.push(`bg-notify: ${filePath}: ${issue ? describeIssue(issue) : "invalid"}; using defaults`);
      }
    }
  }
  const envInt = (name: string, min: number, max: number, apply: (n: number) => void) => {
    const text = env[name];
    if (text === undefined || text === "") return;
    const n = Number(text);
    if (Number.isInteger(n) && n >= min && n <= max) apply(n);
    else
      warnings.push(
        `bg-notify: ${name}=${JSON.stringify(text.slice(0, 40))} is not a whole number from ${min} to ${max}; ignored`,
      );
  };
  envInt("BG_NOTIFY_BATCH_WINDOW_MS", 0, 60_000, (n) => {
    config.batchWindowMs = n;
  });
  envInt("BG_NOTIFY_MAX_BATCH_SIZE", 1, 1000, (n) => {
    config.maxBatchSize = n;
  });
  const mode = env["BG_NOTIFY_MODE"];
  if (mode !== undefined && mode !== "") {
    if (mode === "coalesce" || mode === "summarize" || mode === "off") config.mode = mode;
    else
      warnings.push(
        `bg-notify: BG_NOTIFY_MODE=${JSON.stringify(mode.slice(0, 40))} is not coalesce, summarize or off; ignored`,
      );
  }
  return { config, warnings };
}
