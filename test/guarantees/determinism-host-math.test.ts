// No host Math call decides a token or a probability (issue 15, item 4): ECMAScript leaves the
// last bit of Math.exp, Math.log, Math.pow and Math.log2 to the engine, so a token that
// depended on one could differ between engines. Here the built package runs in a process of
// its own twice — once as it is, once with those four functions returning the next double up
// (support/host-math-child.mjs) — and the golden sequences and probs() bits must be identical,
// on the three builds. sampleDetailed()'s log-probabilities and entropy do go through Math.log
// (they report, they do not decide): they may move, by a few ulps. The ** operator cannot be
// patched: what ships must use it on constants only.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Detailed } from '../support/detailed.js';
import type { EngineResult } from '../support/engines.js';

const CHILD = fileURLToPath(new URL('../support/host-math-child.mjs', import.meta.url));
const DIST = new URL('../../dist/', import.meta.url);

interface Run {
  nudged: boolean;
  probe: number;
  calls: { decided: Record<string, number>; all: Record<string, number> };
  builds: Record<string, EngineResult>;
  detailed: Record<string, Detailed[]>;
}

const runChild = (mode: string): Run =>
  JSON.parse(execFileSync(process.execPath, [CHILD, mode], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Run;

let plain: Run;
let nudged: Run;
beforeAll(() => {
  if (!existsSync(new URL('index.js', DIST))) throw new Error('dist/ is missing: npm run build');
  plain = runChild('plain');
  nudged = runChild('nudged');
}, 60_000);

const TABLE = JSON.parse(readFileSync(new URL('../golden/sequences.json', import.meta.url), 'utf8')) as {
  cases: Record<string, { tokens: number[] }>;
};

describe('Math.exp, Math.log, Math.pow and Math.log2 one ulp off', () => {
  test('the nudge is real: Math.exp(1) moved, and the calls sampleDetailed() makes were nudged', () => {
    expect(nudged.probe).not.toBe(plain.probe);
    expect(nudged.probe - plain.probe).toBe(2 ** -51); // one ulp of e
    expect(nudged.calls.all.log).toBeGreaterThan(nudged.calls.decided.log ?? 0);
  });

  test.each(['wasm-simd', 'wasm', 'js'])('%s: the same golden sequences, the committed ones', (backend) => {
    for (const [name, { tokens }] of Object.entries(TABLE.cases)) {
      expect(plain.builds[backend]!.golden[name], name).toEqual(tokens);
      expect(nudged.builds[backend]!.golden[name], name).toEqual(tokens);
    }
  });

  test.each(['wasm-simd', 'wasm', 'js'])('%s: probs() bit for bit', (backend) => {
    const want = plain.builds[backend]!.probs;
    expect(Object.keys(want)).toEqual(Object.keys(TABLE.cases));
    for (const name of Object.keys(want)) expect(nudged.builds[backend]!.probs[name], name).toEqual(want[name]);
  });

  test('sampleDetailed(): the same tokens, temperatures and lists; logprobs and entropy within a few ulps', () => {
    let moved = 0;
    // ln of a mass (at most ln 2^24 ≈ 17) is one ulp off; a logprob subtracts it: ≤ 2 ulps of 32.
    const close = (a: number, b: number, what: string) => {
      expect(Math.abs(a - b), what).toBeLessThanOrEqual(4 * 32 * Number.EPSILON);
      if (a !== b) moved++;
    };
    for (const backend of ['wasm-simd', 'wasm', 'js']) {
      for (const [k, d] of plain.detailed[backend]!.entries()) {
        const e = nudged.detailed[backend]![k]!;
        const what = `${backend} call ${k}`;
        expect(e.token, what).toBe(d.token);
        expect(e.temperature, what).toBe(d.temperature);
        expect(
          e.topLogprobs.map((t) => t.token),
          what,
        ).toEqual(d.topLogprobs.map((t) => t.token));
        close(e.logprob, d.logprob, `${what} logprob`);
        close(e.entropy!, d.entropy!, `${what} entropy`);
        for (const [j, t] of e.topLogprobs.entries()) close(t.logprob, d.topLogprobs[j]!.logprob, `${what} top ${j}`);
      }
    }
    // The nudge reached what sampleDetailed() reports: this test could fail.
    expect(moved).toBeGreaterThan(0);
  });
});

test('what ships uses ** on constants only (it cannot be patched)', () => {
  for (const file of ['index.js', 'index.cjs', 'browser.js', 'workerd.js']) {
    const code = readFileSync(new URL(file, DIST), 'utf8');
    // esbuild writes a binary ** with a space each side; a comment's /** has none before it.
    const uses = [...code.matchAll(/(\S+) \*\* (\S+)/g)].map((m) => [m[1]!, m[2]!]);
    for (const [base, exponent] of uses) {
      expect(`${base} ** ${exponent}`, file).toMatch(/^\(?-?\d+(\.\d+)? \*\* -?\d+(\.\d+)?\)?/);
    }
  }
});
