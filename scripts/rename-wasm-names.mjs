// Carries wasm-opt's --minify-imports-and-exports-and-modules over to the wasm-bindgen glue.
//
// wasm-bindgen names each import `__wbg_<name>_<16 hex digits>` and the module after the glue
// file; together that is about 10 KB of the editor's wasm and its glue. wasm-opt shortens them
// in the wasm and prints the old and new names as JSON; this rewrites the glue to match:
// the imports object's keys, its module key and every `wasm.<export>` access. It fails, and so
// fails the build, when the glue does not look as expected (a new wasm-bindgen may write it
// differently), rather than leave a page that cannot start.
//
// Usage: node rename-wasm-names.mjs NAMES.json GLUE.js
import { readFileSync, writeFileSync } from "node:fs";

const [namesFile, glueFile] = process.argv.slice(2);
if (!namesFile || !glueFile) {
  console.error("usage: node rename-wasm-names.mjs NAMES.json GLUE.js");
  process.exit(2);
}
// wasm-opt prints the JSON after anything else it has to say.
const printed = readFileSync(namesFile, "utf8");
const names = JSON.parse(printed.slice(printed.indexOf("{")));
let glue = readFileSync(glueFile, "utf8");

const fail = (why) => {
  console.error(`rename-wasm-names: ${glueFile}: ${why}`);
  process.exit(1);
};
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
// A whole identifier or property name: not part of a longer one.
const word = (name) => `(?<![\\w$])${escape(name)}(?![\\w$])`;
const replaceAll = (pattern, by) => {
  let count = 0;
  glue = glue.replace(new RegExp(pattern, "g"), () => {
    count += 1;
    return by;
  });
  return count;
};

// All imports end up in module "a"; that is only safe when they came from one module.
const modules = [...new Set(names.imports.map(([module]) => module))];
if (modules.length !== 1) fail(`expected imports from one module, found ${modules.join(", ")}`);
if (replaceAll(`"${escape(modules[0])}"(?=\\s*:)`, '"a"') !== 1) {
  fail(`no single "${modules[0]}" key in the imports object`);
}

for (const [, from, to] of names.imports) {
  if (replaceAll(`${word(from)}(?=\\s*:)`, to) !== 1) fail(`import ${from} is not defined once`);
}
for (const [from, to] of names.exports) {
  replaceAll(`(?<=\\bwasm\\.)${escape(from)}(?![\\w$])`, to);
}

// Nothing may still use an old name, whatever way it is written.
for (const from of [
  ...names.imports.map(([, from]) => from),
  ...names.exports.map(([from]) => from),
]) {
  if (new RegExp(`(?<=[.'"\\[])${escape(from)}(?![\\w$])`).test(glue)) {
    fail(`${from} is still used under its old name`);
  }
}
writeFileSync(glueFile, glue);
