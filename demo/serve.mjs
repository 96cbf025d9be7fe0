// A small static file server for the built page (demo/dist/), on loopback only: what
// `npm run demo` runs after the build. Any static host serves the folder as well; the one
// thing that matters is .wasm as application/wasm (else the browser compiles it only after the
// whole download, a little slower).
//
//   node demo/serve.mjs [folder] [--port 5180] [--host 127.0.0.1]
//
// Prints the URL on its first line ("Temperature explorer: http://…/"); port 0 or a busy
// port picks a free one.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/**
 * Serves `root` on host:port. Resolves once listening, with the origin and a close().
 * @param {string} root
 * @param {{ port?: number, host?: string }} [o]
 * @returns {Promise<{ origin: string, close: () => Promise<void> }>}
 */
export async function serveStatic(root, { port = 5180, host = '127.0.0.1' } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      let file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) return void res.writeHead(403).end();
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[/** @type {keyof TYPES} */ (extname(file))] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  const listen = (/** @type {number} */ p) =>
    new Promise((ok, fail) => {
      server.once('error', fail);
      server.listen(p, host, () => ok(undefined));
    });
  await listen(port).catch((/** @type {NodeJS.ErrnoException} */ e) => {
    if (e.code !== 'EADDRINUSE') throw e;
    return listen(0);
  });
  const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    origin: `http://${shown}:${addr.port}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok(undefined));
      }),
  };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: process.env.PORT ?? '5180' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const root = positionals[0] ?? fileURLToPath(new URL('./dist/', import.meta.url));
  if (!existsSync(join(root, 'index.html'))) {
    console.error(`${root} has no index.html: build the page first (npm run demo does)`);
    process.exit(1);
  }
  const { origin } = await serveStatic(root, { port: Number(values.port), host: values.host });
  console.log(`Temperature explorer: ${origin}/`);
  console.log(`(serving ${root}; Ctrl+C stops)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
