// Where the theme's facility pictograms live, and which kinds need one.
import { readFileSync } from "node:fs";
import path from "node:path";
import { repo } from "./support.js";

export const folder = path.join(repo, "themes/signage/pictograms");

/** The facility kinds, read from the engine (src/content/facility.rs) so the two cannot drift apart. */
export function kinds() {
  const source = readFileSync(path.join(repo, "src/content/facility.rs"), "utf8");
  const list = source.match(/pub const KINDS: &\[&str\] = &\[([^\]]*)\]/);
  if (!list) throw new Error("KINDS not found in src/content/facility.rs");
  return [...list[1].matchAll(/"([a-z-]+)"/g)].map((m) => m[1]);
}
