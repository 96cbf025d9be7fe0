// A small static file server for the built page (demo/dist/), on loopback only: what
// `npm run demo` runs after the build. Any static host serves the folder as well; the one
// thing that matters is .wasm as application/wasm (else the browser compiles it only after the
// whole download, a little slower).
//
//   node demo/serve.mjs [folder] [--port 5180] [--host 127.0.0.1]
//
// PORT sets the port when --port is not given. Prints the URL on its first line
// ("Temperature explorer: http://…/"); port 0 or a busy port picks a free one. A bad
// argument ends it with one line on stderr and exit code 1.
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

/**
 * Ends the process with one line on stderr: a bad argument is the user's to fix, not a crash.
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  console.error(`demo/serve.mjs: ${message}`);
  process.exit(1);
}

function portOf(/** @type {string} */ name, /** @type {string} */ text) {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    fail(`${name} must be an integer in 0…65535 (0 = any free port), got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** Every argument and PORT, checked before anything else is done. */
function options() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } },
    });
  } catch (e) {
    return fail(/** @type {Error} */ (e).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) fail(`takes one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  if (values.host === '') fail('--host must be a host name or address, got ""');
  const { PORT } = process.env;
  return {
    root: positionals[0] ?? fileURLToPath(new URL('./dist/', import.meta.url)),
    port: values.port !== undefined ? portOf('--port', values.port) : PORT !== undefined ? portOf('PORT', PORT) : 5180,
    host: values.host,
  };
}

async function main() {
  const { root, port, host } = options();
  if (!existsSync(join(root, 'index.html'))) {
    fail(`${root} has no index.html: build the page first (npm run demo does)`);
  }
  const { origin } = await serveStatic(root, { port, host }).catch((e) => fail(e.message));
  console.log(`Temperature explorer: ${origin}/`);
  console.log(`(serving ${root}; Ctrl+C stops)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
