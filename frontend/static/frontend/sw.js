/* Service worker: pages a person has opened stay readable offline; nothing is sent while offline.
   Strategy: static files cache-first; page navigations network-first, falling back to the copy kept
   from the last visit, then to the offline page. Posts are never queued: while offline the page says
   so and the form keeps what was typed (see site.js).

   A kept page never outlives the account it was made for (docs/privacy.md, "Offline copies"):
   * every page carries the X-Account-Mark header (an opaque mark of the signed-in account, empty when nobody
     is signed in; lms/middleware.py); the worker remembers the mark its pages were kept under, and the first
     page that arrives with another mark (signed out, another person) makes it drop every kept page;
   * a sign-out, "Delete my account" or "quick exit" drops them before the request leaves (and the server's
     Clear-Site-Data answer then clears the rest, this worker included, where the browser supports it);
   * a page that says it is shown to nobody signed in posts "signed-out" (site.js), with the same effect;
   * offline, a kept page is served only if it was kept under the current mark.

   Field practice (/practice/ and /ru/practice/...: records of rights violations and their files) is never kept, in
   any cache, whatever its headers say; offline, those URLs get the offline page, never a copy (docs/practice.md). */
const VERSION = "v2";
const PAGES = "pages-" + VERSION;
const ASSETS = "assets-" + VERSION;
// The URL prefixes of the languages other than the default one: lms.views.service_worker writes the list from
// settings.LANGUAGES over this line, so a new language needs no change here.
const LANGUAGE_PREFIXES = ["/ru", "/uk"];
const OFFLINE_URLS = ["/offline/", ...LANGUAGE_PREFIXES.map((prefix) => prefix + "/offline/"), "/start/"];
const MARK_HEADER = "X-Account-Mark";
const MARK_KEY = "/__account-mark__";
const NEVER_KEEP = /^(\/[a-z]{2}(-[a-z]+)?)?\/practice\//;
const SIGN_OUT = /^(\/[a-z]{2}(-[a-z]+)?)?\/(accounts\/logout|account\/delete)\/$|^\/start\/$/;

// The offline and neutral pages are fetched without cookies, so that they never show anyone's name, and are
// never replaced by a copy made for an account.
self.addEventListener("install", (event) => {
  const anonymous = OFFLINE_URLS.map((u) => new Request(u, { credentials: "omit" }));
  event.waitUntil(caches.open(PAGES).then((cache) => cache.addAll(anonymous)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== PAGES && k !== ASSETS).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function keptMark(cache) {
  return cache.match(MARK_KEY).then((hit) => (hit ? hit.text() : ""));
}

/* Make `mark` the current one; if it differs from the mark the pages were kept under, drop them all. */
function noteMark(mark) {
  return caches.open(PAGES).then((cache) => keptMark(cache).then((kept) => {
    if (kept === mark) return cache;
    return cache.keys()
      .then((requests) => Promise.all(requests
        .filter((r) => !OFFLINE_URLS.includes(new URL(r.url).pathname))
        .map((r) => cache.delete(r))))
      .then(() => cache.put(MARK_KEY, new Response(mark)))
      .then(() => cache);
  }));
}

function offlinePage(url) {
  const prefix = LANGUAGE_PREFIXES.find((p) => url.pathname.startsWith(p + "/"));
  return caches.match((prefix || "") + "/offline/");
}

function keptCopy(request, url) {
  return caches.open(PAGES).then((cache) => Promise.all([cache.match(request), keptMark(cache)]).then(([hit, mark]) => {
    if (hit && (OFFLINE_URLS.includes(url.pathname) || hit.headers.get(MARK_HEADER) === mark)) return hit;
    return offlinePage(url);
  }));
}

function keepable(response) {
  const cacheControl = response.headers.get("Cache-Control") || "";
  return response.ok && response.type === "basic" && !cacheControl.includes("no-store");
}

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "signed-out") {
    event.waitUntil(noteMark(""));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/admin/") || url.pathname.startsWith("/ws/")) {
    return;
  }
  if (request.method !== "GET") {
    if (SIGN_OUT.test(url.pathname)) {
      // Leaving: forget the kept pages now, and let the browser send the request itself, so that it applies
      // the answer's Clear-Site-Data as it would without a worker.
      event.waitUntil(noteMark(""));
      return;
    }
    event.respondWith(fetch(request).catch(() => offlinePage(url).then((page) => new Response(page.body, {
      status: 503, headers: { "Content-Type": "text/html; charset=utf-8" },
    }))));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.open(ASSETS).then((cache) => cache.match(request).then((hit) => hit || fetch(request).then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    }))));
    return;
  }
  if (NEVER_KEEP.test(url.pathname)) {
    if (request.mode !== "navigate") return;
    event.respondWith(fetch(request).then((response) => {
      const mark = response.headers.get(MARK_HEADER);
      if (mark !== null) event.waitUntil(noteMark(mark));  // another account: drop its kept pages, keep nothing
      return response;
    }).catch(() => offlinePage(url)));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then((response) => {
      const mark = response.headers.get(MARK_HEADER);
      if (mark !== null) {
        const copy = keepable(response) && !OFFLINE_URLS.includes(url.pathname) ? response.clone() : null;
        event.waitUntil(noteMark(mark).then((cache) => copy && cache.put(request, copy)));
      }
      return response;
    }).catch(() => keptCopy(request, url)));
  }
});
