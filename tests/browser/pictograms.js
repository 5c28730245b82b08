// Where the theme's facility pictograms live, and which kinds need one.
import { readFileSync } from "node:fs";
import path from "node:path";
import { repo } from "./support.js";

export const folder = path.join(repo, "themes/signage/pictograms");

/** The default facility kinds, read from the engine (src/config/domain.rs) so the two cannot drift apart. */
export function kinds() {
  const source = readFileSync(path.join(repo, "src/config/domain.rs"), "utf8");
  const list = source.match(/const DEFAULT_FACILITY_KINDS: &\[&str\] = &\[([^\]]*)\]/);
  if (!list) throw new Error("DEFAULT_FACILITY_KINDS not found in src/config/domain.rs");
  return [...list[1].matchAll(/"([a-z-]+)"/g)].map((m) => m[1]);
}
