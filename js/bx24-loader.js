// Starts loading the official BX24 library without holding the page, and records how that
// ends in window.lbeBx24.state: "loading", then "loaded" or "failed"; window.lbeBx24.settled
// is a promise of that end. The app waits on it (src/browser.rs) before choosing the library
// or its own frame protocol. A file rather than inline markup so that the page's
// Content-Security-Policy can refuse every inline script.
(function () {
  var bx24 = (window.lbeBx24 = { state: "loading" });
  var script = document.createElement("script");
  bx24.settled = new Promise(function (resolve) {
    script.onload = function () {
      resolve((bx24.state = "loaded"));
    };
    script.onerror = function () {
      resolve((bx24.state = "failed"));
    };
  });
  script.src = "https://api.bitrix24.com/api/v1/";
  script.async = true;
  document.head.appendChild(script);
})();
