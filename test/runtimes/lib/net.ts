// Loopback-only networking helpers.
import { createServer } from 'node:net';

/** A port that was free on 127.0.0.1 a moment ago (for servers that take a port, not a socket). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Polls `url` until the server answers (any status), exits, or `timeoutMs` passes. */
export async function waitForHttp(
  url: string,
  timeoutMs: number,
  server: { alive(): boolean; log(): string },
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(30_000) });
    } catch (e) {
      if (!server.alive()) throw new Error(`server exited before answering ${url}:\n${server.log()}`);
      if (Date.now() > deadline)
        throw new Error(`no answer from ${url} within ${timeoutMs} ms: ${String(e)}\n${server.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
