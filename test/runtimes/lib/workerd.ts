// Serves a bundled Worker with workerd on 127.0.0.1, as `wrangler dev` would.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './net.js';
import { bin } from './paths.js';
import { start } from './proc.js';

export interface WorkerdServer {
  origin: string;
  alive(): boolean;
  log(): string;
  stop(): Promise<void>;
}

/** Starts workerd on dir/worker.js plus the given .wasm modules (names as the bundle imports them). */
export async function serveWorker(dir: string, wasm: string[]): Promise<WorkerdServer> {
  const port = await freePort();
  const modules = [
    `(name = "worker.js", esModule = embed "worker.js")`,
    ...wasm.map((w) => `(name = "${w}", wasm = embed "${w}")`),
  ];
  await writeFile(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .sampler)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const sampler :Workerd.Worker = (
  modules = [${modules.join(', ')}],
  compatibilityDate = "2025-01-01",
);
`,
  );
  const p = start(bin('workerd'), ['serve', 'config.capnp'], { cwd: dir });
  return {
    origin: `http://127.0.0.1:${port}`,
    alive: () => p.child.exitCode === null && p.child.signalCode === null,
    log: p.log,
    stop: p.stop,
  };
}
