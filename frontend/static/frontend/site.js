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

  if ("serviceWorker" in navigator && document.documentElement.dataset.serviceWorker) {
    navigator.serviceWorker.register(document.documentElement.dataset.serviceWorker, { scope: "/" });
  }
})();
