// Starts the app. trunk's own loader is an inline script, which the page's CSP refuses, so the
// build (Trunk.toml `pattern_script`) writes two preload links naming the app's hashed files
// instead, and this module loads them. Fires trunk's usual `TrunkApplicationStarted` event.
const js = document.querySelector("link[data-lbe-app-js]");
const wasm = document.querySelector("link[data-lbe-app-wasm]");
// Imports and starts a bundle beside the page (the app's own page, `settings.js`); the app
// calls it (src/browser.rs) instead of carrying a wasm-bindgen snippet of its own, which the
// glue would import as one more file before the app could start.
globalThis.lbeImportBundle = (file) =>
  import(new URL(file, document.baseURI).href).then((m) => m.default());
if (js && wasm) {
  const app = await import(js.href);
  const exports = await app.default({ module_or_path: wasm.href });
  dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm: exports } }));
} else {
  console.error("index.html names no app module (link[data-lbe-app-js], link[data-lbe-app-wasm])");
}
