// Greedy under a dense mask reads the logits through the mask in its one pass (no masked copy):
// assembly/index.ts, the MASKED_ARGMAX leg of assembly/scan.ts. What that route must keep from
// the copy it replaces: the first allowed maximum, a disallowed NaN or +Infinity still an error,
// a disallowed logit that an edit pushes to +Infinity still masked (the route's alarm starts
// the call over from the copy), and the caller's logits as they were.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { thrown } from '../support/thrown.js';

/** A mask allowing token i when keep(i). */
function mask(n: number, keep: (i: number) => boolean): Uint32Array {
  const m = new Uint32Array(Math.ceil(n / 32));
  for (let i = 0; i < n; i++) if (keep(i)) m[i >> 5]! |= 1 << (i & 31);
  return m;
}

/** The first allowed maximum of x (+ bias), in float64: the token greedy must give. */
function allowedArgmax(x: ArrayLike<number>, keep: (i: number) => boolean, bias = new Map<number, number>()): number {
  let at = -1;
  let top = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = Math.fround(x[i]! + (bias.get(i) ?? 0));
    if (keep(i) && v > top) {
      top = v;
      at = i;
    }
  }
  return at;
}

describe.each(BACKENDS)('%s: greedy through a dense mask', (backend) => {
  // Sizes: one block and a tail of 1; three blocks and a tail of 8; a vector part only.
  const sizes = [65, 200, 1024, 1025];
  const keep = (i: number) => (Math.imul(i, 0x9e3779b1) >>> 0) % 10 < 7; // 70% allowed: dense

  test('the first allowed maximum, with a larger disallowed logit before it, at every size', async () => {
    const s = await createSampler({ backend, seed: 1 });
    for (const n of sizes) {
      const allowed = mask(n, keep);
      for (let at = 0; at < n; at += 7) {
        if (!keep(at)) continue;
        const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7));
        x[at] = 2; // the allowed maximum, tied later by another allowed token
        const later = [...Array(n).keys()].find((i) => i > at && keep(i));
        if (later !== undefined) x[later] = 2;
        const before = [...Array(n).keys()].find((i) => !keep(i));
        if (before !== undefined) x[before] = 5; // the largest, disallowed
        const want = allowedArgmax(x, keep);
        expect(want).toBe(at);
        expect(s.sample(x, { temperature: 0, allowed })).toBe(want);
      }
    }
  });

  test('a disallowed NaN or +Infinity is an error naming it, wherever it sits', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const n = 200;
    const allowed = mask(n, keep);
    for (let at = 0; at < n; at++) {
      if (keep(at)) continue;
      for (const bad of [Number.NaN, Infinity]) {
        const x = Float32Array.from({ length: n }, (_, i) => Math.cos(i));
        x[at] = bad;
        thrown(() => s.sample(x, { temperature: 0, allowed }), RangeError, new RegExp(`logits\\[${at}\\] is ${bad}`));
      }
    }
  });

  test('a disallowed logit a bias pushes past the float32 range stays masked, in a view left as it was', async () => {
    const s = await createSampler({ backend, seed: 1 });
    for (const n of sizes) {
      const allowed = mask(n, keep);
      const view = s.logitsView(n);
      const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 3e38);
      view.set(x);
      const shut = [...Array(n).keys()].filter((i) => !keep(i) && x[i]! > 1e38).slice(0, 3);
      expect(shut.length).toBeGreaterThan(0);
      const bias = new Map(shut.map((i) => [i, 3e38]));
      const open = [...Array(n).keys()].find((i) => keep(i))!;
      bias.set(open, 1); // an allowed token edited too: put back afterwards
      const want = allowedArgmax(x, keep, bias);
      const logitBias = { ids: Int32Array.from(bias.keys()), values: Float32Array.from(bias.values()) };
      expect(s.sample(view, { temperature: 0, allowed, logitBias })).toBe(want);
      expect(view).toEqual(x);
      // With the temperature after another stage, the copy is the route: the same token.
      expect(s.sample(view, { temperature: 0, allowed, logitBias, topK: 5, order: ['topK', 'temperature'] })).toBe(
        want,
      );
      expect(view).toEqual(x);
    }
  });

  test('penalties and a bias on a view: the token of the edited, masked logits; the view untouched', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const n = 1025;
    const allowed = mask(n, keep);
    const view = s.logitsView(n);
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 2.3) * 4);
    view.set(x);
    const top = allowedArgmax(x, keep);
    // Penalise the allowed maximum out of first place; the runner-up then wins.
    const history = [top];
    const second = allowedArgmax(
      x.map((v, i) => (i === top ? -Infinity : v)),
      keep,
    );
    expect(s.sample(view, { temperature: 0, allowed, history, presencePenalty: 100 })).toBe(second);
    expect(view).toEqual(x);
    expect(s.sample(view, { temperature: 0, allowed })).toBe(top);
  });
});
