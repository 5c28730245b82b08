// A plain static file server on a free loopback port, for the benchmark
// scripts that load a built site in headless Chromium.
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm" };

/** Serves `root`; `onFile(pathname, body)` sees every file sent. Resolves to { server, base }. */
export async function serveFolder(root, onFile = () => {}) {
  const server = http.createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url, "http://x").pathname);
    let file = path.join(root, pathname);
    if (file.endsWith("/")) file += "index.html";
    try {
      const body = await readFile(file);
      onFile(pathname, body);
      const type = TYPES[path.extname(file)];
      response.writeHead(200, type ? { "content-type": type } : {});
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}
