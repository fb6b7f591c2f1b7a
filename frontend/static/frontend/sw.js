/* Service worker: pages a person has opened stay readable offline; nothing is sent while offline.
   Strategy: static files cache-first; page navigations network-first, falling back to the copy kept
   from the last visit, then to the offline page. Posts are never queued: while offline the page says
   so and the form keeps what was typed (see site.js). Logging out clears the kept pages. */
const VERSION = "v1";
const PAGES = "pages-" + VERSION;
const ASSETS = "assets-" + VERSION;
const OFFLINE_URLS = ["/offline/", "/ru/offline/"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(PAGES).then((cache) => cache.addAll(OFFLINE_URLS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== PAGES && k !== ASSETS).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function offlinePage(url) {
  return caches.match(url.pathname.startsWith("/ru/") ? "/ru/offline/" : "/offline/");
}

function keepable(response) {
  const cacheControl = response.headers.get("Cache-Control") || "";
  return response.ok && response.type === "basic" && !cacheControl.includes("no-store");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/admin/") || url.pathname.startsWith("/ws/")) {
    return;
  }
  if (request.method !== "GET") {
    if (url.pathname.endsWith("/accounts/logout/")) {
      caches.delete(PAGES);
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
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then((response) => {
      if (keepable(response)) {
        const copy = response.clone();
        caches.open(PAGES).then((cache) => cache.put(request, copy));
      }
      return response;
    }).catch(() => caches.match(request).then((hit) => hit || offlinePage(url))));
  }
});
