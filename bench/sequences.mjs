// @ts-check
// Many sequences (issue 18): what a row costs in sampleRows() beside one zero-copy sample(),
// what 64 streams add to a sampler's memory, and verifyDraft() with k = 4 drafts all accepted
// beside the nine samples it replaces — at 128,256 tokens on LM-like logits (params: T 0.8,
// top-p 0.95). Every turn makes new logits (bench/lib/fresh-logits.mjs), which each case of
// the turn writes into the sampler's memory outside the timing. Each line times a call and
// the single sample() calls it replaces, taking turns call by call on the same rows
// (bench/lib/alternate.mjs): their times are the least over the runs of a run's median, their
// ratio the median over the runs of the median of the ratios read within a turn (a shared
// machine's speed drifts by more than these ratios measure).
//
//   npm run build && node bench/sequences.mjs [--backend wasm-simd|wasm|js] [--runs 7] [--calls 24]

import { parseArgs } from 'node:util';
import { alternate } from './lib/alternate.mjs';
import { freshLogits } from './lib/fresh-logits.mjs';
import { loadLibrary } from './lib/library.mjs';
import { machine } from './lib/machine.mjs';
import { NORMAL_SHAPES } from './logits.mjs';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm-simd' },
    runs: { type: 'string', default: '7' },
    calls: { type: 'string', default: '24' },
    n: { type: 'string', default: '128256' },
  },
});
const V = Number(values.n);
const RUNS = Number(values.runs);
const CALLS = Number(values.calls);
const ROWS = [1, 8, 32, 64];
const K = 4;
const PARAMS = { temperature: 0.8, topP: 0.95 };

const { createSampler } = await loadLibrary();
const backend = /** @type {'wasm-simd' | 'wasm' | 'js'} */ (values.backend);
const s = await createSampler({ backend, seed: 1 });
const next = freshLogits(NORMAL_SHAPES.lm, V, 0x5e9);

// Memory first, before the row blocks grow it: one sampler, then the same with 64 streams.
const one = s.logitsView(V);
one.set(next());
s.sample(one, PARAMS);
const alone = s.memoryBytes;
const streams = Array.from({ length: 64 }, (_, i) => s.stream(i + 1));
for (const st of streams) st.sample(one, PARAMS);
const with64 = s.memoryBytes;

const maxRows = Math.max(...ROWS, 2 * K + 1);
// The rows, and room for one row's work (not for one vocabulary of maxRows × V tokens).
const block = s.logitsView(maxRows * V, V);
const withBlock = s.memoryBytes;
// Each turn (every configuration once) draws on the same new vectors: row r of every case is
// pool[r], so that a row of sampleRows() and the single sample() read the same logits — the
// cost of top-p varies with the logits (its nucleus spans 3 to 9,192 tokens at this size),
// and cases fed different vectors differed by more than what they measure.
const pool = Array.from({ length: maxRows }, () => new Float32Array(V));
const other = new Float32Array(V);
/** A turn's new logits: the first `count` rows of the pool, and another vector. @param {number} count */
const newTurn = (count) => {
  for (let r = 0; r < count; r++) pool[r].set(next());
  other.set(next());
  return pool;
};
/**
 * Readies a case, untimed: a sample() of another new vector, then rows [0, count) of the block
 * filled with this turn's logits. Without the first, whichever case came second in a turn ran on
 * vectors the CPU had just seen (its branch predictor trained by the first case's identical
 * work): one sampleRows() row measured 0.77× and 1.16× one sample() by the order of the cases.
 * @param {number} count
 */
const fill = (count) => {
  s.sample(other, PARAMS);
  for (let r = 0; r < count; r++) block.set(pool[r], r * V);
};

/** @typedef {import('./lib/alternate.mjs').Case<Float32Array[]>} Case */

/** sample() on rows [0, count) of the block, each from its own stream. @param {number} count */
const sampleEach = (count) => {
  for (let r = 0; r < count; r++) streams[r].sample(block.subarray(r * V, (r + 1) * V), PARAMS);
};

// Each comparison is its own alternation of the cases it compares, on the same new rows every
// turn. One alternation of every case misled: the same sample() call measured 1.00× in one
// place of the turn and 1.23× in another, after other cases had run on the same vectors (the
// CPU learns what it has just seen) or swept 32 MiB of rows through the caches.
/**
 * @param {string} name
 * @param {Case[]} cases the measured case first, what it replaces second
 * @param {number} per rows a call draws, for per-row times
 * @param {number} rows rows of the block the cases read (made new every turn)
 */
function compare(name, cases, per, rows) {
  const { medianUs, ratio } = alternate(cases, { runs: RUNS, calls: CALLS, next: () => newTurn(rows) });
  const us = (/** @type {number} */ c) => `${(medianUs[c] / per).toFixed(1).padStart(7)} µs${per > 1 ? '/row' : ''}`;
  console.log(`${name.padEnd(46)} ${us(0)}  ${us(1)}  ×${ratio(0, 1).toFixed(2)}`);
}

const m = machine();
console.log(
  `sequences bench — ${m.cpu} × ${m.cores}, Node ${m.node}; ${backend}, ${V.toLocaleString('en')} tokens, LM-like logits new every turn, T 0.8 + top-p 0.95; times: least over ${RUNS} runs of the median of ${CALLS} turns, ratios: median over the runs; each line alternates its two calls on the same rows`,
);
console.log(
  `${'call, against what it replaces'.padEnd(46)} ${'call'.padStart(10)}  ${'replaced'.padStart(10)}  per-turn ratio`,
);
for (const rows of ROWS) {
  const some = streams.slice(0, rows);
  const out = new Int32Array(rows);
  compare(
    `sampleRows(), ${rows} row${rows > 1 ? 's' : ''} ÷ ${rows} sample()`,
    [
      {
        name: 'rows',
        feed: () => fill(rows),
        call: () => s.sampleRows(block.subarray(0, rows * V), V, PARAMS, some, out),
      },
      { name: 'each', feed: () => fill(rows), call: () => sampleEach(rows) },
    ],
    rows,
    rows,
  );
}

// verifyDraft with the draft's logits equal to the target's: min(1, p/q) = 1, all k accepted.
const target = block.subarray(0, (K + 1) * V);
const draft = target.subarray(0, K * V);
const draftTokens = new Int32Array(K);
compare(
  `verifyDraft(), k = ${K}, all accepted ÷ ${2 * K + 1} sample()`,
  [
    {
      name: 'verify',
      feed: () => {
        fill(K + 1);
        for (let r = 0; r < K; r++) draftTokens[r] = streams[r].sample(target.subarray(r * V, (r + 1) * V), PARAMS);
      },
      call: () => {
        const v = s.verifyDraft({ target, draft, draftTokens, vocabSize: V, params: PARAMS, stream: streams[0] });
        if (v.accepted !== K) throw new Error(`verifyDraft accepted ${v.accepted} of ${K}`);
      },
    },
    {
      // The target's k + 1 rows and the draft's k: each row sampled as a decode loop would.
      name: 'nine',
      feed: () => fill(K + 1),
      call: () => {
        sampleEach(K + 1);
        sampleEach(K);
      },
    },
  ],
  1,
  K + 1,
);

// A rejection at the first draft: its token has probability 0 under the target's params (the
// row's least logit, far outside top-p 0.95), so the draw is from the residual max(0, p − q),
// q the draft row's distribution (other logits): two more distributions and the residual draw.
const rejectDraft = block.subarray((K + 1) * V, (2 * K + 1) * V);
const rejectTokens = new Int32Array(K);
compare(
  `verifyDraft(), k = ${K}, the first rejected ÷ 1 sample()`,
  [
    {
      name: 'rejected',
      feed: () => {
        fill(2 * K + 1);
        const row = target.subarray(0, V);
        let least = 0;
        for (let j = 1; j < V; j++) if (row[j] < row[least]) least = j;
        rejectTokens[0] = least;
      },
      call: () => {
        const v = s.verifyDraft({
          target,
          draft: rejectDraft,
          draftTokens: rejectTokens,
          vocabSize: V,
          params: PARAMS,
          stream: streams[1],
        });
        if (v.accepted !== 0) throw new Error(`verifyDraft accepted ${v.accepted}, not 0`);
      },
    },
    { name: 'one', feed: () => fill(2 * K + 1), call: () => sampleEach(1) },
  ],
  1,
  2 * K + 1,
);
const mib = (/** @type {number} */ b) => `${(b / 2 ** 20).toFixed(2)} MiB`;
console.log(
  `memory at ${V.toLocaleString('en')} tokens: one sampler ${mib(alone)}, with 64 streams ${mib(with64)} (×${(with64 / alone).toFixed(3)}), with a view of ${maxRows} rows ${mib(withBlock)} (the rows: ${mib(maxRows * V * 4)})`,
);
