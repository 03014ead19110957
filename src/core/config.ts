// Configuration: defaults, overridden by `<project>/.claude/bg-notify.json`, then by environment variables.
// Pure: the caller reads the file; an invalid value gives one clear line naming the key, and defaults apply.
import * as z from "zod/mini";
import type { BatchLimits } from "./batching.js";
import { DEFAULT_CONCURRENCY, DEFAULT_MODEL_CONCURRENCY } from "./concurrency.js";
import { isPlainObject } from "./guards.js";
import { OWED_TTL_MS, WAKES_KEEP, WAKES_TTL_MS } from "./state.js";
import type { BgNotifyConfig, ConcurrencyPolicy, Layer, Mode, Policy, WakeBudget } from "./types.js";

/**
 * The rewake that times a held batch waits at most REWAKE_MAX_WAIT_MS (90 s, under its 110 s hook
 * timeout): a longer hold could outlast every process able to wake an idle parent.
 */
export const MAX_HOLD_MS = 90_000;

export const DEFAULT_CONFIG: Readonly<BgNotifyConfig> = Object.freeze({
  batchWindowMs: 1000,
  maxBatchSize: 5,
  mode: "coalesce" as Mode,
  layer: "auto" as Layer,
  policy: "window" as Policy,
  // The design's window semantics stay the default; holding for siblings is asked for.
  waitForSiblings: false,
  notifyAllDone: false,
  maxHoldMs: 60_000,
  wakeOnFailure: true,
  // A notification plugin that denies launches by default surprises; the tiers are opt-in.
  concurrency: "off" as ConcurrencyPolicy,
  modelConcurrency: DEFAULT_MODEL_CONCURRENCY as Record<string, number>,
  defaultConcurrency: DEFAULT_CONCURRENCY,
  staleTimeoutMs: 30 * 60 * 1000,
  reconcileGraceMs: 10_000,
  taskTtlMs: 60 * 60 * 1000,
  deliveredTtlMs: 60 * 60 * 1000,
  owedTtlMs: OWED_TTL_MS,
  resultExcerptChars: 600,
});

/** A budget the state keeps the wake-ups for (core/state.ts WAKES_KEEP, WAKES_TTL_MS). */
export const WAKE_BUDGET_MAX = { wakes: WAKES_KEEP, perMinutes: WAKES_TTL_MS / 60_000 } as const;

function isWakeBudget(value: unknown): value is WakeBudget {
  return (
    isPlainObject(value) &&
    Object.keys(value).every((k) => k === "wakes" || k === "perMinutes") &&
    isWholeNumberIn(value["wakes"], [1, WAKE_BUDGET_MAX.wakes]) &&
    isWholeNumberIn(value["perMinutes"], [1, WAKE_BUDGET_MAX.perMinutes])
  );
}

// Built on first use: loading zod is most of a hook's start-up time, so the hook bundles load it only
// when a config file is not plainly valid (see `isPlainlyValidFile`, and docs/PERFORMANCE.md).
function buildFileSchema() {
  const nonNegativeInt = z.int().check(z.minimum(0));
  return z.strictObject({
    $schema: z.optional(z.string()),
    batchWindowMs: z.optional(nonNegativeInt.check(z.maximum(60_000))),
    maxBatchSize: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
    mode: z.optional(z.enum(["coalesce", "summarize", "off"])),
    layer: z.optional(z.enum(["auto", "hooks"])),
    policy: z.optional(z.enum(["window", "defer"])),
    wakeBudget: z.optional(
      z.strictObject({
        wakes: z.int().check(z.minimum(1), z.maximum(WAKE_BUDGET_MAX.wakes)),
        perMinutes: z.int().check(z.minimum(1), z.maximum(WAKE_BUDGET_MAX.perMinutes)),
      }),
    ),
    concurrency: z.optional(z.enum(["off", "warn", "enforce"])),
    waitForSiblings: z.optional(z.boolean()),
    notifyAllDone: z.optional(z.boolean()),
    maxHoldMs: z.optional(nonNegativeInt.check(z.maximum(MAX_HOLD_MS))),
    wakeOnFailure: z.optional(z.boolean()),
    modelConcurrency: z.optional(z.record(z.string(), nonNegativeInt)),
    defaultConcurrency: z.optional(nonNegativeInt),
    staleTimeoutMs: z.optional(nonNegativeInt),
    reconcileGraceMs: z.optional(nonNegativeInt),
    taskTtlMs: z.optional(nonNegativeInt),
    deliveredTtlMs: z.optional(nonNegativeInt),
    owedTtlMs: z.optional(nonNegativeInt),
    resultExcerptChars: z.optional(z.int().check(z.minimum(0), z.maximum(5000))),
  });
}

type ConfigFile = z.infer<ReturnType<typeof buildFileSchema>>;
let builtFileSchema: ReturnType<typeof buildFileSchema> | undefined;

/** The zod schema of the config file, the reference for `isPlainlyValidFile` (test/core/plain-checks.test.ts). */
export function fileSchema(): ReturnType<typeof buildFileSchema> {
  builtFileSchema ??= buildFileSchema();
  return builtFileSchema;
}

/** [min, max] of each whole-number key. */
const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  batchWindowMs: [0, 60_000],
  maxBatchSize: [1, 1000],
  defaultConcurrency: [0, Number.MAX_SAFE_INTEGER],
  staleTimeoutMs: [0, Number.MAX_SAFE_INTEGER],
  reconcileGraceMs: [0, Number.MAX_SAFE_INTEGER],
  taskTtlMs: [0, Number.MAX_SAFE_INTEGER],
  deliveredTtlMs: [0, Number.MAX_SAFE_INTEGER],
  owedTtlMs: [0, Number.MAX_SAFE_INTEGER],
  resultExcerptChars: [0, 5000],
  maxHoldMs: [0, MAX_HOLD_MS],
};

function isWholeNumberIn(value: unknown, [min, max]: readonly [number, number]): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

/**
 * The schema's verdict on the common case, without zod: true only for a file the schema accepts and
 * returns unchanged. Anything else goes to the schema itself, for its verdict and its message.
 */
function isPlainlyValidFile(value: unknown): value is ConfigFile {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    const field = value[key];
    const range = INT_RANGES[key];
    if (range) {
      if (!isWholeNumberIn(field, range)) return false;
    } else if (key === "$schema") {
      if (typeof field !== "string") return false;
    } else if (key === "mode") {
      if (field !== "coalesce" && field !== "summarize" && field !== "off") return false;
    } else if (key === "layer") {
      if (field !== "auto" && field !== "hooks") return false;
    } else if (key === "policy") {
      if (field !== "window" && field !== "defer") return false;
    } else if (key === "wakeBudget") {
      if (!isWakeBudget(field)) return false;
    } else if (key === "concurrency") {
      if (field !== "off" && field !== "warn" && field !== "enforce") return false;
    } else if (key === "waitForSiblings" || key === "wakeOnFailure" || key === "notifyAllDone") {
      if (typeof field !== "boolean") return false;
    } else if (key === "modelConcurrency") {
      if (!isPlainObject(field)) return false;
      for (const model in field)
        if (!isWholeNumberIn(field[model], [0, Number.MAX_SAFE_INTEGER])) return false;
    } else {
      return false;
    }
  }
  return true;
}

export const CONFIG_FILE_NAME = "bg-notify.json";

export interface ConfigResult {
  config: BgNotifyConfig;
  warnings: string[];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown key "${issue.keys.join('", "')}"`;
  if (issue.path.length === 0) return "the file must hold one JSON object";
  const key = issue.path.join(".");
  const expectedType = "expected" in issue && issue.expected ? String(issue.expected) : "";
  const expected = expectedType
    ? ` (expected ${expectedType === "int" ? "a whole number" : expectedType === "record" ? "an object" : expectedType})`
    : "";
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

/**
 * A config file that cannot be used may have asked for off: in doubt, every notice passes natively
 * (mode off) until it is fixed, unless BG_NOTIFY_MODE names a mode. The line says so.
 */
export function unusableConfig(filePath: string, problem: string): string {
  return `bg-notify: ${filePath}${problem.startsWith(":") ? "" : " "}${problem}; until it is fixed, bg-notify holds nothing and every notice passes natively`;
}

/**
 * `fileText` is the config file's content, undefined when there is none, or why a file that is there
 * could not be read.
 */
export function resolveConfig(
  fileText: string | undefined | { unreadable: string },
  env: NodeJS.ProcessEnv,
  filePath = CONFIG_FILE_NAME,
): ConfigResult {
  const warnings: string[] = [];
  const config: BgNotifyConfig = {
    ...DEFAULT_CONFIG,
    modelConcurrency: { ...DEFAULT_CONFIG.modelConcurrency },
  };
  // Editors on Windows often save a byte-order mark in front of the JSON.
  const text = typeof fileText === "string" ? fileText.replace(/^\uFEFF/, "") : undefined;
  if (typeof fileText === "object") {
    warnings.push(unusableConfig(filePath, fileText.unreadable));
    config.mode = "off";
  } else if (text !== undefined && text.trim() !== "") {
    let raw: unknown;
    let problem: string | undefined;
    try {
      raw = JSON.parse(text);
    } catch {
      problem = "is not valid JSON";
    }
    if (raw !== undefined) {
      const parsed = isPlainlyValidFile(raw)
        ? ({ success: true, data: raw } as const)
        : fileSchema().safeParse(raw);
      if (parsed.success) {
        const { $schema: _, modelConcurrency, ...rest } = parsed.data;
        Object.assign(config, rest);
        if (modelConcurrency) Object.assign(config.modelConcurrency, modelConcurrency);
      } else {
        const issue = parsed.error.issues[0];
        problem = `: ${issue ? describeIssue(issue) : "invalid"}`;
      }
    }
    if (problem !== undefined) {
      warnings.push(unusableConfig(filePath, problem));
      config.mode = "off";
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
  envInt("BG_NOTIFY_MAX_HOLD_MS", 0, MAX_HOLD_MS, (n) => {
    config.maxHoldMs = n;
  });
  const envBool = (name: string, apply: (b: boolean) => void) => {
    const text = env[name];
    if (text === undefined || text === "") return;
    if (/^(1|true|on|yes)$/i.test(text)) apply(true);
    else if (/^(0|false|off|no)$/i.test(text)) apply(false);
    else warnings.push(`bg-notify: ${name}=${JSON.stringify(text.slice(0, 40))} is not 1 or 0; ignored`);
  };
  envBool("BG_NOTIFY_WAIT_FOR_SIBLINGS", (b) => {
    config.waitForSiblings = b;
  });
  envBool("BG_NOTIFY_WAKE_ON_FAILURE", (b) => {
    config.wakeOnFailure = b;
  });
  envBool("BG_NOTIFY_ALL_DONE", (b) => {
    config.notifyAllDone = b;
  });
  const layer = env["BG_NOTIFY_LAYER"];
  if (layer !== undefined && layer !== "") {
    if (layer === "auto" || layer === "hooks") config.layer = layer;
    else
      warnings.push(
        `bg-notify: BG_NOTIFY_LAYER=${JSON.stringify(layer.slice(0, 40))} is not auto or hooks; ignored`,
      );
  }
  const concurrency = env["BG_NOTIFY_CONCURRENCY"];
  if (concurrency !== undefined && concurrency !== "") {
    if (concurrency === "off" || concurrency === "warn" || concurrency === "enforce")
      config.concurrency = concurrency;
    else
      warnings.push(
        `bg-notify: BG_NOTIFY_CONCURRENCY=${JSON.stringify(concurrency.slice(0, 40))} is not off, warn or enforce; ignored`,
      );
  }
  const policy = env["BG_NOTIFY_POLICY"];
  if (policy !== undefined && policy !== "") {
    if (policy === "window" || policy === "defer") config.policy = policy;
    else
      warnings.push(
        `bg-notify: BG_NOTIFY_POLICY=${JSON.stringify(policy.slice(0, 40))} is not window or defer; ignored`,
      );
  }
  // "N/M": at most N wake-ups per M minutes; "off" or "0" none.
  const budget = env["BG_NOTIFY_WAKE_BUDGET"];
  if (budget !== undefined && budget !== "") {
    const m = /^(\d+)\/(\d+)$/.exec(budget);
    const parsed = m ? { wakes: Number(m[1]), perMinutes: Number(m[2]) } : undefined;
    if (/^(off|0)$/i.test(budget)) delete config.wakeBudget;
    else if (isWakeBudget(parsed)) config.wakeBudget = parsed;
    else
      warnings.push(
        `bg-notify: BG_NOTIFY_WAKE_BUDGET=${JSON.stringify(budget.slice(0, 40))} is not N/M (at most N wake-ups per M minutes, N 1–${WAKE_BUDGET_MAX.wakes}, M 1–${WAKE_BUDGET_MAX.perMinutes}) or off; ignored`,
      );
  }
  return { config, warnings };
}

/** The batching rule a configuration asks for (the window, the size, and the hold if opted in). */
export function limitsFrom(config: BgNotifyConfig): BatchLimits {
  return {
    batchWindowMs: config.batchWindowMs,
    maxBatchSize: config.maxBatchSize,
    ...(config.waitForSiblings
      ? { hold: { waitForSiblings: true, maxHoldMs: config.maxHoldMs, wakeOnFailure: config.wakeOnFailure } }
      : {}),
    ...(config.policy === "defer" ? { defer: true } : {}),
    ...(config.wakeBudget
      ? {
          budget: {
            wakes: config.wakeBudget.wakes,
            perMs: config.wakeBudget.perMinutes * 60_000,
            failureWakes: config.wakeOnFailure,
          },
        }
      : {}),
  };
}
