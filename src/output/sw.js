// signpost's service worker. It keeps the reader's language of the guide on
// the device after the first visit, so its pages open without a network, and
// it never serves a kept page while the network answers: pages come from the
// network first and from the cache only when the network fails. Fingerprinted
// files (name.1a2b3c4d.css, search shards) never change, so they come from the
// cache first.
"use strict";
const PAGES = "signpost-pages";
const FILES = "signpost-files";
const BATCH = 6;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// A page asks to keep its language: { type: "keep-language", home: "/en/" }.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep-language" || !/^\/[a-z0-9-]+\/$/.test(String(data.home))) return;
  event.waitUntil(
    keepLanguage(data.home)
      .then((kept) => {
        if (kept && event.source) event.source.postMessage({ type: "language-kept", home: data.home });
      })
      .catch(() => {}),
  );
});

/** Fetches the language's list of files and keeps each of them; true when all are kept. */
async function keepLanguage(home) {
  const listUrl = home + "offline.json";
  const response = await fetch(listUrl, { cache: "no-cache" });
  if (!response.ok) return false;
  const list = await response.json();
  const cache = await caches.open(PAGES);
  const marker = await cache.match(listUrl);
  if (marker && (await marker.json()).version === list.version) return true;
  let complete = true;
  for (let i = 0; i < list.urls.length; i += BATCH) {
    await Promise.all(
      list.urls.slice(i, i + BATCH).map(async (url) => {
        try {
          const answer = await fetch(url, { cache: "no-cache" });
          if (answer.ok) await (isFingerprinted(url) ? caches.open(FILES) : Promise.resolve(cache)).then((c) => c.put(url, answer));
          else complete = false;
        } catch {
          complete = false;
        }
      }),
    );
  }
  if (complete) {
    await cache.put(listUrl, new Response(JSON.stringify(list), { headers: { "content-type": "application/json" } }));
  }
  return complete;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/__signpost/")) return;
  if (url.pathname.endsWith("/offline.json")) return;
  event.respondWith(isFingerprinted(url.pathname) ? cacheFirst(request) : networkFirst(request));
});

function isFingerprinted(path) {
  return /\.[0-9a-f]{8}\.[a-z]+$/.test(path) || /^\/search\/[^/]+\/[0-9a-f]{16}\//.test(path);
}

async function networkFirst(request) {
  const cache = await caches.open(PAGES);
  // One entry per page, whatever its query (`/en/search/?q=…` is `/en/search/`).
  const url = new URL(request.url);
  const key = url.origin + url.pathname;
  try {
    const response = await fetch(request);
    if (response.status === 200 && response.type === "basic") await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(FILES);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.status === 200 && response.type === "basic") await cache.put(request, response.clone());
  return response;
}
