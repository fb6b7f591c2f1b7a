/* The site's only script for ordinary pages: offline reading (service worker) and an honest
   offline notice. Everything works without it. */
(function () {
  "use strict";
  var notice = document.getElementById("offline-notice");
  function update() {
    if (notice) notice.hidden = navigator.onLine;
  }
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  update();

  // While offline, a form is not sent: say so and keep what was typed.
  document.addEventListener("submit", function (event) {
    if (navigator.onLine || event.target.hasAttribute("data-allow-offline")) return;
    event.preventDefault();
    update();
    if (notice) {
      notice.classList.add("offline-notice-alert");
      notice.focus();
    }
  }, true);

  var root = document.documentElement;
  if ("serviceWorker" in navigator && root.dataset.serviceWorker) {
    navigator.serviceWorker.register(root.dataset.serviceWorker, { scope: "/" });
    // Signed out (or never signed in): the worker drops any page it kept for an account (sw.js).
    if (root.dataset.signedIn === "0" && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
    }
  }

  // Quick exit (docs/privacy.md): the form works alone; here it also replaces this page in the history and
  // answers Esc pressed three times.
  var exitForm = document.getElementById("quick-exit");
  if (!exitForm) return;
  var leaving = false;
  function quickExit() {
    if (leaving) return;
    leaving = true;
    var target = exitForm.action;
    function leave() { window.location.replace(target); }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
    }
    window.setTimeout(leave, 1500); // never keep someone waiting on a slow network
    fetch(target, { method: "POST", credentials: "same-origin", cache: "no-store", redirect: "manual" }).then(leave, leave);
  }
  exitForm.addEventListener("submit", function (event) {
    event.preventDefault();
    quickExit();
  });
  var escapes = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    escapes = escapes.filter(function (t) { return now - t < 1500; });
    escapes.push(now);
    if (escapes.length >= 3) quickExit();
  });
})();
