// The contenders of one (configuration, size) group. Each is
//   { name, feed(vector) → input, run(input) → token, async? }
// feed() is the untimed part that stands in for the model producing logits
// (hand the vector over, or write it into a zero-copy view); run() is the
// timed per-token sampling. All contenders sample the same cycled vectors.

import { naiveSample } from '../peers/naive.mjs';

export const BACKENDS = ['wasm-simd', 'wasm', 'js'];
export const FLOOR = 'read floor';
export const KERNEL_MAX = 'library max(n)';

// Report order.
export const CONTENDER_ORDER = [
  ...BACKENDS.flatMap((b) => [`${b} zero-copy`, `${b} copy-in`]),
  'naive JS',
  'transformers.js',
  FLOOR,
];

const passThrough = (vector) => vector;

/**
 * samplers: { backend: sampler } from createSampler (missing ones skipped);
 * tj: this configuration's transformers.js sampler, or null.
 */
export function contendersFor(config, n, { samplers, tj }) {
  const { params } = config;
  const list = [];
  for (const backend of BACKENDS) {
    const s = samplers[backend];
    if (!s) continue;
    let view = s.logitsView(n);
    list.push({
      name: `${backend} zero-copy`,
      feed(vector) {
        // A copy-in call that grew WASM memory detaches the old view
        // (length 0); the documented remedy is to ask for it again.
        if (view.length !== n) view = s.logitsView(n);
        view.set(vector);
        return view;
      },
      run: (v) => s.sample(v, params),
    });
    list.push({ name: `${backend} copy-in`, feed: passThrough, run: (logits) => s.sample(logits, params) });
  }
  list.push({ name: 'naive JS', feed: passThrough, run: (logits) => naiveSample(logits, params) });
  if (tj) list.push({ name: 'transformers.js', async: true, feed: passThrough, run: tj.sample });
  return list;
}

/**
 * A read-only pass (the floor, or the library's own max kernel) as a
 * contender: the vector is written into its memory untimed, then read once, timed.
 */
export function readPassContender(name, pass, n) {
  return {
    name,
    feed(vector) {
      pass.view(n).set(vector);
    },
    // A call into WASM is never dropped as dead code; 0 passes the token check.
    run: () => (pass.run(n), 0),
  };
}
