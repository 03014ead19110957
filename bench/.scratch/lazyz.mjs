import { build } from "esbuild";
const names = ["array","boolean","enum","int","literal","looseObject","maximum","minimum","nullable","number","object","optional","record","regex","strictObject","string","unknown"];
const ns = "lz";
await build({ entryPoints: ["/work/main/bench/.scratch/uselazy.ts"], bundle: true, platform: "node", format: "cjs", target: "node20", minify: process.argv[2]==="1", outfile: "/tmp/pb/uselazy.cjs", logOverride: { "import-is-undefined": "error" },
 plugins: [{ name: "z", setup(b) {
  b.onResolve({ filter: /^zod\/mini$/ }, (a) => a.namespace === ns && a.path === "zod/mini" && a.importer === "subset" ? undefined : { path: "proxy", namespace: ns });
  b.onResolve({ filter: /^subset$/ }, () => ({ path: "subset", namespace: ns }));
  b.onLoad({ filter: /.*/, namespace: ns }, (a) => a.path === "proxy"
    ? { contents: `let z; const load = () => (z ??= require("subset"));\n` + names.map(n => `export const ${n === "enum" ? "_enum" : n} = (...args) => load().${n === "enum" ? "_enum" : n}(...args);`).join("\n") + `\nexport { _enum as enum };`, loader: "js", resolveDir: "/work/main" }
    : { contents: `export { ${names.map(n => n === "enum" ? "enum as _enum" : n).join(", ")} } from "zod/mini";`, loader: "js", resolveDir: "/work/main" });
 } }] });
