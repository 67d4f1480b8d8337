// The block editor's job done the plain way, on the official @bitrix24/b24jssdk: read the
// placement, one batch for the block's manifest and content, a labelled input per node match,
// save the changed nodes with landing.block.updatenodes, then refreshBlock. It is the
// benchmark's yardstick (e2e/src/bin/bench.rs), not a product: no retries, no drafts, no
// localisation, only what a small app written this way would have. The calls are the SDK 2.x
// API its package's README-AI.md recommends (initializeB24Frame, actions.v2.batch/call,
// placement.call); callMethod/callBatch are deprecated there for 3.0.
(function () {
  "use strict";
  // Read by the benchmark's probe as "app start": the SDK has been evaluated by now.
  performance.mark("app-start");

  var form = document.getElementById("form");
  var save = document.getElementById("save");
  var status = document.getElementById("status");
  var b24, lid, block;
  // key ("selector@index") -> {type, input, initial, node}
  var fields = {};

  function show(text, ok) {
    var span = document.createElement("span");
    span.className = ok ? "status-ok" : "status-error";
    span.textContent = text;
    status.replaceChildren(span);
  }

  function valueOf(type, node) {
    if (type === "img") return node.getAttribute("src") || "";
    if (type === "link") return node.textContent.trim();
    return node.innerHTML.trim();
  }

  function render(manifest, content) {
    var tpl = document.createElement("template");
    tpl.innerHTML = content.content;
    var nodes = manifest.nodes || {};
    var frag = document.createDocumentFragment();
    Object.keys(nodes).forEach(function (selector) {
      var spec = nodes[selector];
      var matches = tpl.content.querySelectorAll(selector);
      for (var i = 0; i < matches.length; i++) {
        var key = selector + "@" + i;
        var type = spec.type || "text";
        var div = document.createElement("div");
        div.className = "field";
        div.dataset.key = key;
        var label = document.createElement("label");
        label.htmlFor = "f" + Object.keys(fields).length;
        label.textContent = (spec.name || selector) + (matches.length > 1 ? " " + (i + 1) : "");
        var input = document.createElement(type === "text" ? "textarea" : "input");
        input.id = label.htmlFor;
        input.value = valueOf(type, matches[i]);
        div.appendChild(label);
        div.appendChild(input);
        frag.appendChild(div);
        fields[key] = { type: type, input: input, initial: input.value, node: matches[i] };
      }
    });
    var name = document.querySelector(".block-name");
    name.textContent = (manifest.block && manifest.block.name) || content.code;
    form.appendChild(frag);
    save.disabled = false;
  }

  function changed() {
    var data = {};
    var n = 0;
    Object.keys(fields).forEach(function (key) {
      var f = fields[key];
      if (f.input.value === f.initial) return;
      n++;
      if (f.type === "img") {
        data[key] = { src: f.input.value, alt: f.node.getAttribute("alt") || "" };
      } else if (f.type === "link") {
        data[key] = { text: f.input.value, href: f.node.getAttribute("href") || "" };
      } else {
        data[key] = f.input.value;
      }
    });
    return n ? data : null;
  }

  save.addEventListener("click", function () {
    var data = changed();
    if (!data) {
      show("Nothing changed", true);
      return;
    }
    save.disabled = true;
    b24.actions.v2.call
      .make({ method: "landing.block.updatenodes", params: { lid: lid, block: block, data: data } })
      .then(function (r) {
        if (!r.isSuccess) throw new Error(r.getErrorMessages().join("; "));
        return b24.placement.call("refreshBlock", { id: block });
      })
      .then(function () {
        Object.keys(fields).forEach(function (key) {
          fields[key].initial = fields[key].input.value;
        });
        show("Saved", true);
      })
      .catch(function (e) {
        show("Not saved: " + (e && e.message ? e.message : e), false);
      })
      .then(function () {
        save.disabled = false;
      });
  });

  B24Js.initializeB24Frame()
    .then(function (frame) {
      b24 = frame;
      var o = b24.placement.options;
      lid = Number(o.LID);
      block = Number(o.ID);
      return b24.actions.v2.batch.make({
        calls: {
          manifest: {
            method: "landing.block.getmanifest",
            params: { lid: lid, block: block, params: { edit_mode: 1 } }
          },
          content: {
            method: "landing.block.getcontent",
            params: { lid: lid, block: block, editMode: 1, params: { wrapper_show: 0 } }
          }
        },
        options: { isHaltOnError: true }
      });
    })
    .then(function (r) {
      if (!r.isSuccess) throw new Error(r.getErrorMessages().join("; "));
      var d = r.getData();
      render(d.manifest, d.content);
    })
    .catch(function (e) {
      show("Cannot open the block: " + (e && e.message ? e.message : e), false);
    });
})();
