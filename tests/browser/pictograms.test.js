// The theme's facility pictograms (themes/signage/pictograms/<kind>.svg) follow
// the rules the engine relies on when it inlines them: one file per kind in
// src/content/facility.rs, the exact root element, one colour (currentColor),
// nothing that could collide or load (no ids, styles, scripts, links), small.
// No browser needed; `node tests/browser/pictogram-sheet.mjs` renders them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { folder, kinds } from "./pictograms.js";

const ROOT = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48">';
const SHAPES = new Set(["path", "circle", "rect", "ellipse", "line", "polyline", "polygon"]);
const ELEMENTS = new Set(["svg", "g", ...SHAPES]);
const ATTRIBUTES = new Set([
  "d", "fill", "fill-rule", "clip-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
  "stroke-miterlimit", "transform", "cx", "cy", "r", "rx", "ry", "x", "y", "width", "height",
  "x1", "y1", "x2", "y2", "points",
]);
const PAINT = new Set(["currentColor", "none"]);

/** Tags of a small SVG as [{ name, closing, selfClosing, attributes }]; throws on anything else. */
function tags(text) {
  const out = [];
  const rest = text.replace(/<(\/?)([a-z]+)((?:\s+[a-zA-Z:-]+="[^"<>]*")*)\s*(\/?)>/g, (_, closing, name, attrs, self) => {
    const attributes = [...attrs.matchAll(/([a-zA-Z:-]+)="([^"]*)"/g)].map(([, k, v]) => [k, v]);
    out.push({ name, closing: closing === "/", selfClosing: self === "/", attributes });
    return "";
  });
  assert.equal(rest.trim(), "", `text or markup outside well-formed tags: ${JSON.stringify(rest.trim().slice(0, 80))}`);
  return out;
}

for (const kind of kinds()) {
  test(`pictogram ${kind}.svg follows the rules`, () => {
    const file = path.join(folder, `${kind}.svg`);
    const bytes = readFileSync(file);
    const text = bytes.toString("utf8");
    assert.ok(bytes.length <= 700, `${bytes.length} bytes > 700`);
    assert.ok(text.startsWith(ROOT), `must start with exactly ${ROOT}`);
    assert.match(text, /<\/svg>\n?$/, "must end with </svg>");
    assert.ok(text.split("\n").filter(Boolean).length <= 4, "one line or a few");
    assert.doesNotMatch(text, /<!--|<\?xml|<!DOCTYPE|CDATA|inkscape|sodipodi|sketch|figma|<metadata/i, "editor metadata");
    assert.doesNotMatch(text, /\b(id|class|style|href|xlink:href|src)=|<style|<script|<title|<desc|url\(|\bon[a-z]+=/i,
      "no ids, classes, styles, scripts, titles or references");
    assert.doesNotMatch(text, /\d\.\d{2,}/, "numbers: integers or one decimal");

    const list = tags(text);
    const stack = [];
    let shapes = 0;
    for (const tag of list) {
      assert.ok(ELEMENTS.has(tag.name), `element <${tag.name}> not allowed`);
      if (tag.closing) {
        assert.equal(stack.pop()?.name, tag.name, `</${tag.name}> closes nothing`);
        continue;
      }
      if (tag.name === "svg") {
        assert.equal(stack.length, 0, "nested <svg>");
        assert.deepEqual(tag.attributes.map(([k]) => k), ["xmlns", "viewBox"], "root attributes");
      } else {
        assert.ok(stack.length > 0, `<${tag.name}> outside <svg>`);
        for (const [name] of tag.attributes) assert.ok(ATTRIBUTES.has(name), `attribute ${name} on <${tag.name}>`);
      }
      const own = Object.fromEntries(tag.attributes);
      for (const key of ["fill", "stroke"]) {
        if (key in own) assert.ok(PAINT.has(own[key]), `${key}="${own[key]}": only currentColor or none`);
      }
      const inherited = stack.at(-1)?.paint ?? { fill: undefined, stroke: undefined };
      const effective = { fill: own.fill ?? inherited.fill, stroke: own.stroke ?? inherited.stroke };
      if (SHAPES.has(tag.name)) {
        shapes++;
        // An unset fill is black, not currentColor: every shape says what it paints.
        assert.ok(effective.fill !== undefined, `<${tag.name}> has no fill (it would be black)`);
        assert.ok(effective.fill === "currentColor" || effective.stroke === "currentColor", `<${tag.name}> paints nothing`);
      }
      if (!tag.selfClosing) stack.push({ name: tag.name, paint: effective });
    }
    assert.equal(stack.length, 0, "unclosed elements");
    assert.ok(shapes >= 1 && shapes <= 8, `${shapes} shapes: keep it to a few`);
  });
}

test("there is no pictogram for a kind the engine does not know", () => {
  const known = new Set(kinds().map((kind) => `${kind}.svg`));
  const extra = readdirSync(folder).filter((name) => !known.has(name));
  assert.deepEqual(extra, []);
});
