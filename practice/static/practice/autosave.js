/* Drafts save as the trainee types: a few seconds after the last change, the form is posted (without its file
   field) to the same URL with autosave=1; the server saves the draft and answers with the draft's URL, which
   becomes the form's action (so the next save updates the same draft). Without JavaScript, "Save draft" does the
   same. Nothing is kept in the browser: no localStorage, no service-worker cache (/practice/ is never kept). */
(function () {
  "use strict";
  var DELAY = 3000;
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var status = form.querySelector("[data-autosave-status]");
    var timer = null;
    var saving = false;
    var again = false;

    function say(text) {
      if (status) status.textContent = text;
    }

    function save() {
      if (saving) { again = true; return; }
      saving = true;
      var data = new FormData(form);
      data.delete("file");
      data.delete("submit");
      data.set("autosave", "1");
      say(form.dataset.savingText || "…");
      fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" },
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (result.ok && result.body.saved) {
          if (result.body.url && form.getAttribute("action") !== result.body.url) {
            form.setAttribute("action", result.body.url);
            if (window.history && window.history.replaceState) window.history.replaceState(null, "", result.body.url);
          }
          say(form.dataset.savedText + " " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
        } else {
          say(result.body.error || form.dataset.failedText);
        }
      }).catch(function () {
        say(form.dataset.failedText);
      }).then(function () {
        saving = false;
        if (again) { again = false; save(); }
      });
    }

    function changed(event) {
      if (event.target && event.target.type === "file") return;
      clearTimeout(timer);
      timer = setTimeout(save, DELAY);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () { clearTimeout(timer); });
  });
})();
