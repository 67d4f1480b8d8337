// Carries two wasm-opt passes of the release build over to the wasm-bindgen glue.
//
// - --minify-imports-and-exports-and-modules: wasm-bindgen names each import
//   `__wbg_<name>_<16 hex digits>` and the module after the glue file; together that is about
//   10 KB of the editor's wasm and its glue. wasm-opt shortens them and prints the old and new
//   names as JSON; the glue's imports object, its module key and every `wasm.<export>` access
//   are rewritten to match.
// - --remove-exports of the classes named with --drop-class: they are exported by a dependency
//   for a feature the app never uses (see scripts/post-build.sh); their JS classes go too.
//
// It fails, and so fails the build, when the glue does not look as expected (a new wasm-bindgen
// may write it differently), rather than leave a page that cannot start.
//
// Usage: node rename-wasm-names.mjs NAMES.json GLUE.js [--drop-class NAME]...
import { readFileSync, writeFileSync } from "node:fs";

const [namesFile, glueFile, ...rest] = process.argv.slice(2);
const dropClasses = rest.filter((_, i) => i % 2 === 1);
const wellFormed = rest.length % 2 === 0 && rest.every((arg, i) => i % 2 === 1 || arg === "--drop-class");
if (!namesFile || !glueFile || !wellFormed) {
  console.error("usage: node rename-wasm-names.mjs NAMES.json GLUE.js [--drop-class NAME]...");
  process.exit(2);
}
const fail = (why) => {
  console.error(`rename-wasm-names: ${glueFile}: ${why}`);
  process.exit(1);
};
// wasm-opt prints the JSON after anything else it has to say.
const printed = readFileSync(namesFile, "utf8");
const names = JSON.parse(printed.slice(printed.indexOf("{")));
let glue = readFileSync(glueFile, "utf8");

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

// A dropped class: its body (up to the first closing brace at the start of a line), its
// dispose hook and its finalization registry (a statement ending at the first line ending
// in `;`).
for (const name of dropClasses) {
  const statements = [
    `^export class ${escape(name)} \\{\\n[\\s\\S]*?^\\}\\n`,
    `^if \\(Symbol\\.dispose\\) ${escape(name)}\\.prototype\\[Symbol\\.dispose\\] = ${escape(name)}\\.prototype\\.free;\\n`,
    `^const ${escape(name)}Finalization = [\\s\\S]*?;\\n`,
  ];
  for (const statement of statements) {
    const found = glue.match(new RegExp(statement, "gm"));
    if (!found || found.length !== 1) fail(`class ${name}: expected one /${statement}/`);
    glue = glue.replace(new RegExp(statement, "m"), "");
  }
  if (new RegExp(word(name)).test(glue)) fail(`class ${name} is still used`);
}

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

// Every export the glue uses must be one the wasm has now; no import keeps its old name.
const exported = new Set(names.exports.map(([, to]) => to));
for (const [, used] of glue.matchAll(/\bwasm\.([\w$]+)/g)) {
  if (!exported.has(used)) fail(`wasm.${used} is not an export of the wasm`);
}
for (const [, from] of names.imports) {
  if (new RegExp(word(from)).test(glue)) fail(`${from} is still used under its old name`);
}
writeFileSync(glueFile, glue);
