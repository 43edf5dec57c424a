// Serves a benchmark page on 127.0.0.1: the page itself at `/`, and the
// repository's files under the paths `allowed` matches (the wasm package,
// fixtures, the run script), nothing else. `isolation` sets the
// Cross-Origin-Embedder-Policy that, with COOP same-origin, makes the page
// cross-origin isolated, so its timers are not coarsened (MDN,
// "Window: crossOriginIsolated"); null serves without isolation.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';

const TYPES = [[/\.m?js$/, 'text/javascript'], [/\.wasm$/, 'application/wasm'], [/\.html$/, 'text/html']];

/** Starts the server; resolves to `{origin, close}`. */
export async function serveBenchPage({ root, page, allowed, isolation = 'require-corp' }) {
  const headers = isolation
    ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': isolation, 'Cache-Control': 'no-store' }
    : {};
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path === '/') return res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(page);
    if (!allowed.test(path)) return res.writeHead(404).end();
    try {
      const type = TYPES.find(([pattern]) => pattern.test(path))?.[1] ?? 'application/octet-stream';
      res.writeHead(200, { ...headers, 'Content-Type': type }).end(readFileSync(join(root, path)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
