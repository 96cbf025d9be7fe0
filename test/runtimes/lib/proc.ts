// Child processes with a deadline: a hung runtime fails the test instead of hanging it.
import { type ChildProcess, spawn } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Environment for every child: no telemetry, no update checks, nothing beyond loopback. */
const QUIET = { DO_NOT_TRACK: '1', DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };

/** Runs a command to completion; resolves with its stdout, rejects with its stderr. */
export function run(cmd: string, args: string[], o: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: { ...process.env, ...QUIET, ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: o.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${cmd} ${args.join(' ')} ended with ${code ?? signal}\n${stderr}${stdout}`));
    });
  });
}

/** A long-running child (a server). stop() ends it, escalating to SIGKILL after a grace time. */
export function start(
  cmd: string,
  args: string[],
  o: RunOptions,
): { child: ChildProcess; log: () => string; stop: () => Promise<void> } {
  const child = spawn(cmd, args, {
    cwd: o.cwd,
    env: { ...process.env, ...QUIET, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d));
  child.stderr!.on('data', (d: Buffer) => (log += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, log: () => log, stop };
}
