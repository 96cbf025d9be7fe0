// demo/serve.mjs (what `npm run demo` runs) given a bad port, option or host: one line on
// stderr naming what was wrong, a non-zero exit, no stack trace (issue 16, item 17). The
// folder served is a temporary one, so no demo build is needed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SERVE = fileURLToPath(new URL('../../demo/serve.mjs', import.meta.url));
const page = mkdtempSync(join(tmpdir(), 'logit-sampler-serve-'));
writeFileSync(join(page, 'index.html'), '<!doctype html>');
afterAll(() => rmSync(page, { recursive: true, force: true }));

/** Runs serve.mjs; a server that wrongly starts is stopped by the timeout (status null). */
function serve(args: string[], env: Record<string, string> = {}) {
  const { PORT: _, ...rest } = process.env;
  const r = spawnSync(process.execPath, [SERVE, ...args], {
    env: { ...rest, ...env },
    encoding: 'utf8',
    timeout: 10_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('demo/serve.mjs refuses bad arguments in one line', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['PORT=abc', [page], { PORT: 'abc' }, /^demo\/serve\.mjs: PORT must be an integer in 0…65535 .*, got "abc"$/],
    ['PORT=70000', [page], { PORT: '70000' }, /: PORT must be an integer in 0…65535 .*, got "70000"$/],
    ['PORT= (empty)', [page], { PORT: '' }, /: PORT must be an integer in 0…65535 .*, got ""$/],
    ['PORT=0x50', [page], { PORT: '0x50' }, /: PORT must be an integer in 0…65535 .*, got "0x50"$/],
    ['PORT=abc, no folder: checked before the folder', [], { PORT: 'abc' }, /: PORT must be .*, got "abc"$/],
    ['--port 1.5', [page, '--port', '1.5'], {}, /: --port must be an integer in 0…65535 .*, got "1\.5"$/],
    ['--port -1', [page, '--port=-1'], {}, /: --port must be an integer in 0…65535 .*, got "-1"$/],
    ['an unknown option', [page, '--prot', '80'], {}, /: Unknown option '--prot'/],
    ['two folders', [page, page], {}, /: takes one folder, got 2: /],
    ['an empty --host', [page, '--host', ''], {}, /: --host must be a host name or address, got ""$/],
    // TEST-NET-3: an address no local interface has, so listen() fails.
    ['a host it cannot listen on', [page, '--host', '203.0.113.1', '--port', '0'], {}, /: listen EADDRNOTAVAIL/],
  ];
  it.each(cases)('%s', (_, args, env, message) => {
    const r = serve(args, env);
    expect(r.status, r.stderr).not.toBe(null);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });

  it('still says a folder without index.html needs a build, in one line', () => {
    const r = serve([join(tmpdir(), 'logit-sampler-no-such-folder')]);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd()).toMatch(/has no index\.html: build the page first \(npm run demo does\)$/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
