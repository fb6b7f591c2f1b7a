"""The service worker never keeps a practice page or file (frontend/static/frontend/sw.js), run in Node with the
browser's caches and network replaced by fakes: the same script the browser runs, asked the same questions."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SW = Path(__file__).resolve().parents[2] / "frontend" / "static" / "frontend" / "sw.js"

HARNESS = r"""
const fs = require("fs");
const vm = require("vm");
const stores = {};
function store(name) {
  if (!stores[name]) {
    const entries = new Map();
    stores[name] = {
      entries,
      put: async (req, res) => { entries.set(typeof req === "string" ? req : new URL(req.url, ORIGIN).pathname, res); },
      match: async (req) => {
        const hit = entries.get(typeof req === "string" ? req : new URL(req.url, ORIGIN).pathname);
        return hit && hit.clone();  // a real cache hands out a fresh response each time
      },
      keys: async () => [...entries.keys()].map((p) => ({ url: ORIGIN + p })),
      delete: async (req) => entries.delete(new URL(req.url, ORIGIN).pathname),
      addAll: async (reqs) => {
        for (const r of reqs) entries.set(new URL(r.url, ORIGIN).pathname, new Response("offline"));
      },
    };
  }
  return stores[name];
}
const ORIGIN = "https://learn.example.org";
let online = true;
const handlers = {};
const context = {
  self: { location: { origin: ORIGIN }, addEventListener: (t, f) => { handlers[t] = f; }, skipWaiting: () => {},
          clients: { claim: () => {} } },
  caches: {
    open: async (name) => store(name),
    match: async (path) => {
      for (const s of Object.values(stores)) { const hit = await s.match(path); if (hit) return hit; }
    },
    keys: async () => Object.keys(stores),
    delete: async (name) => delete stores[name],
  },
  fetch: async (request) => {
    if (!online) throw new TypeError("offline");
    const response = new Response("<p>page</p>", { headers: { "X-Account-Mark": "m1", "Content-Type": "text/html" } });
    Object.defineProperty(response, "type", { value: "basic" });
    return response;
  },
  Request: function (url) { return { url: new URL(url, ORIGIN).href }; },
  Response, URL, Promise, console,
};
vm.createContext(context);
vm.runInContext(fs.readFileSync(process.argv[2], "utf8"), context);

async function navigate(path) {
  const waits = [];
  let answer;
  const event = {
    request: { url: ORIGIN + path, method: "GET", mode: "navigate", headers: new Headers() },
    respondWith: (p) => { answer = p; }, waitUntil: (p) => waits.push(p),
  };
  handlers.fetch(event);
  const response = answer ? await answer : null;
  await Promise.all(waits);
  await new Promise((r) => setTimeout(r, 10));
  await Promise.all(waits);
  return response ? await response.text() : null;
}

(async () => {
  let installed;
  handlers.install({ waitUntil: (p) => { installed = p; } });
  await installed;
  const paths = JSON.parse(process.argv[3]);
  for (const path of paths) await navigate(path);
  online = false;
  const offline = {};
  for (const path of paths) offline[path] = await navigate(path);
  const kept = [...(stores["pages-v2"] ? stores["pages-v2"].entries.keys() : [])];
  process.stdout.write(JSON.stringify({ kept, offline }));
})();
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the service worker")
def test_the_service_worker_never_keeps_practice_pages_or_files(tmp_path):
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS)
    paths = ["/dashboard/", "/practice/", "/practice/cases/7/", "/ru/practice/visits/3/", "/practice/files/5/"]
    result = subprocess.run(
        ["node", str(harness), str(SW), json.dumps(paths)], capture_output=True, text=True, timeout=30, check=True
    )
    outcome = json.loads(result.stdout)
    assert "/dashboard/" in outcome["kept"]  # the control: an ordinary page is kept for offline reading
    assert not [path for path in outcome["kept"] if "/practice/" in path]
    assert outcome["offline"]["/dashboard/"] == "<p>page</p>"  # offline, the kept copy
    for path in paths[1:]:
        assert outcome["offline"][path] != "<p>page</p>"  # offline, never a copy of a practice page
