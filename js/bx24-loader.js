// Starts loading the official BX24 library without holding the page, and records how that
// ends in window.lbeBx24.state: "loading", then "loaded" or "failed". The app waits on it
// (src/browser.rs) before choosing the library or its own frame protocol. A file rather than
// inline markup so that the page's Content-Security-Policy can refuse every inline script.
(function () {
  var bx24 = (window.lbeBx24 = { state: "loading" });
  var script = document.createElement("script");
  script.src = "https://api.bitrix24.com/api/v1/";
  script.async = true;
  script.onload = function () {
    bx24.state = "loaded";
  };
  script.onerror = function () {
    bx24.state = "failed";
  };
  document.head.appendChild(script);
})();
