// A static file server on 127.0.0.1 for the browser tests. The first path segment picks how
// .wasm is served: /wasm/… as application/wasm (compileStreaming works), /octet/… as
// application/octet-stream (a misconfigured host: the loader must fall back to compile()).
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
};
const WASM_TYPES: Record<string, string> = { wasm: 'application/wasm', octet: 'application/octet-stream' };

export interface Served {
  origin: string;
  close(): Promise<void>;
}

/** Serves `root`; `pages` maps extra paths (below the mode segment) to generated HTML. */
export async function serve(root: string, pages: Record<string, (mode: string) => string> = {}): Promise<Served> {
  const server: Server = createServer(async (req, res) => {
    const [, mode = '', ...rest] = new URL(req.url ?? '/', 'http://localhost').pathname.split('/');
    const rel = normalize(decodeURIComponent(rest.join('/')));
    const wasmType = WASM_TYPES[mode];
    if (wasmType === undefined || rel.startsWith('..') || rel.startsWith(sep)) return void res.writeHead(404).end();
    const page = pages[rel];
    if (page) return void res.writeHead(200, { 'content-type': TYPES['.html']! }).end(page(mode));
    try {
      const body = await readFile(join(root, rel));
      const ext = extname(rel);
      res.writeHead(200, { 'content-type': ext === '.wasm' ? wasmType : (TYPES[ext] ?? 'application/octet-stream') });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
