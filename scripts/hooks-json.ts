// Writes hooks/hooks.json from the one hook table (src/plugin/hook-table.ts); `--check` fails on a difference.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderHooksJson } from "../src/plugin/hook-table.ts";

const path = join(import.meta.dirname, "..", "hooks", "hooks.json");
const wanted = renderHooksJson();
if (process.argv.includes("--check")) {
  const same = JSON.stringify(JSON.parse(readFileSync(path, "utf8"))) === JSON.stringify(JSON.parse(wanted));
  if (!same) {
    console.error("hooks/hooks.json differs from src/plugin/hook-table.ts: run npm run hooks:json");
    process.exit(1);
  }
} else {
  writeFileSync(path, wanted);
  execFileSync(
    join(import.meta.dirname, "..", "node_modules", ".bin", "biome"),
    ["format", "--write", path],
    {
      stdio: "inherit",
    },
  );
}
