// `sequenceBias` (Hugging Face's sequence_bias): [tokens, bias] pairs; the bias is added to the
// logit of a sequence's last token when the history ends with the rest of it (a one-token
// sequence: always). Entries naming the same token add up.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { type ControlCase, controlSuite } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { favouring, loopingHistory } from '../support/edits-data.js';
import { rejectsEach } from '../support/rejects.js';
import { thrown } from '../support/thrown.js';

const V = 2000;
const loop = loopingHistory(V, 200, 9, 111);
const flat = favouring(makeLogits(V, 'flat', 112), loop, 2);
const last = (k: number) => Array.from(loop.subarray(loop.length - k));

const CASES: ControlCase[] = [
  {
    name: 'one-token and matching multi-token entries, of both signs',
    x: flat,
    params: {
      history: loop,
      sequenceBias: [
        [[5], 3],
        [[...last(1), 6], 4],
        [Int32Array.of(...last(4), 7), -2.5],
        [[1, 2, 8], 9], // does not match
        [[9], 1.5],
        [[...last(2), 9], 1.5], // adds to the entry above
      ],
    },
  },
  {
    name: 'then the repetition penalty and top-k 50 at temperature 0.6',
    x: flat,
    params: {
      history: loop,
      sequenceBias: [[[...last(1), loop[3]!], 5]],
      repetitionPenalty: 1.3,
      temperature: 0.6,
      topK: 50,
    },
  },
];

controlSuite('sequence bias', CASES);

/** softmax in float64 (of small logits: no shift needed). */
const softmax = (u: number[]) => u.map((v) => Math.exp(v) / u.reduce((z, w) => z + Math.exp(w), 0));

describe.each(BACKENDS)('%s: sequence bias', (backend) => {
  test('by hand; and it comes after the logit bias and before the penalties', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const x = [0, 1, 0, 0];
    const p = s.probs(x, {
      history: [2, 1],
      sequenceBias: [
        [[3], 1],
        [[2, 1, 0], 2],
        [[1, 0], -1],
        [[2, 0], 5],
      ],
    });
    const want = softmax([1, 1, 0, 1]);
    for (let i = 0; i < 4; i++) expect(p[i]).toBeCloseTo(want[i]!, 6);
    // Bias 1 then sequence bias +1 makes token 1's logit 3, which the repetition penalty halves:
    // 1.5 (the other order would give 1 / 2 + 2 = 2.5).
    const q = s.probs(x, { history: [1], logitBias: { 1: 1 }, sequenceBias: [[[1], 1]], repetitionPenalty: 2 });
    const wantQ = softmax([0, 1.5, 0, 0]);
    for (let i = 0; i < 4; i++) expect(q[i]).toBeCloseTo(wantQ[i]!, 6);
    expect(x).toEqual([0, 1, 0, 0]);
  });

  test('a bias past the float32 range is an error naming sequenceBias', async () => {
    const s = await createSampler({ backend, seed: 1 });
    thrown(
      () => s.sample([3e38, 0], { history: [], sequenceBias: [[[0], 1e38]] }),
      RangeError,
      /^sequenceBias pushed logits\[0\] \(3e\+38\) past the float32 range/,
    );
  });
});

describe.each(BACKENDS)('%s rejects a bad sequenceBias, naming the entry', (backend) => {
  rejectsEach(backend, [
    [{ sequenceBias: [[[1], 1]] }, TypeError, /^sequenceBias needs the token history: pass params.history/],
    [
      { history: [1], sequenceBias: { '1': 2 } },
      TypeError,
      /^sequenceBias must be an array of \[tokens, bias\] pairs, got an object/,
    ],
    [
      { history: [1], sequenceBias: [[1, 2]] },
      TypeError,
      /^sequenceBias\[0\]\[0\] must be an array of token ids.*got 1/,
    ],
    [
      { history: [1], sequenceBias: [[[1], 2, 3]] },
      TypeError,
      /^sequenceBias\[0\] must be a \[tokens, bias\] pair, got an array of length 3/,
    ],
    [
      { history: [1], sequenceBias: [[[1], 2], 5] },
      TypeError,
      /^sequenceBias\[1\] must be a \[tokens, bias\] pair, got 5/,
    ],
    [
      { history: [1], sequenceBias: [[[], 2]] },
      RangeError,
      /^sequenceBias\[0\]\[0\] is empty: a sequence needs at least one token/,
    ],
    [
      { history: [1], sequenceBias: [[[1, 100], 2]] },
      RangeError,
      /^sequenceBias\[0\]\[0\]\[1\] is 100, not a token id in \[0, 100\)/,
    ],
    [{ history: [1], sequenceBias: [[[1], '2']] }, TypeError, /^sequenceBias\[0\]\[1\] must be a number, got "2"/],
    [
      { history: [1], sequenceBias: [[[1], Number.NaN]] },
      RangeError,
      /^sequenceBias\[0\]\[1\] is NaN; a bias is a finite number \(float32\)/,
    ],
    [
      { history: [1], sequenceBias: [[[1], -Infinity]] },
      RangeError,
      /^sequenceBias\[0\]\[1\] is -Infinity; a bias is a finite/,
    ],
    [
      { history: [1], sequenceBias: [[[1], 1e39]] },
      RangeError,
      /^sequenceBias\[0\]\[1\] is 1e\+39; a bias is a finite/,
    ],
    [{ history: [1], sequence_bias: [] }, TypeError, /did you mean 'sequenceBias'/],
  ]);
});
