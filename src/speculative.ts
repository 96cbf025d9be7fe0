// verifyDraft(): exact speculative-decoding verification (Leviathan et al. 2023; Chen et al.
// 2023; vLLM's rejection sampler). A draft proposed k tokens; the target model scored k + 1
// rows. Draft i is accepted with probability min(1, p(t)/q(t)), p and q the processed
// distributions (exactly what probs() returns) of target row i and draft row i — q one-hot at
// t when the draft is deterministic (prompt lookup, n-grams). At the first rejection the token
// is drawn from norm(max(0, p − q)); with every draft accepted, from target row k. The emitted
// tokens then follow the target's distribution exactly, whatever the draft.
//
// Value i of the stream decides draft i and value k draws the last token: k + 1 values per
// call, whatever is accepted. Each decision needs p(t) and q(t) only, which the kernels give
// without writing a distribution (MODE_PROB); the residual, needed once at most, reads two
// (MODE_PROBS, then the kernels' MODE_RESIDUAL draw).
import { MAX_TOKENS, MODE_DRAW, MODE_PROB, MODE_PROBS, S_OK } from '../assembly/abi.js';
import type { KernelBackend } from './backend/kernels.js';
import type { Core } from './core.js';
import { convert } from './core.js';
import { describe, ownOptions, typedArrayBuffer, typedArrayKind, typedArrayLength } from './describe.js';
import { offsetIn } from './edits.js';
import type { Resolved, SamplingParams } from './params.js';
import type { Xoshiro128 } from './rng.js';
import type { DraftVerification, VerifyDraftArgs } from './sampler.js';

const KEYS = ['target', 'draft', 'draftTokens', 'vocabSize', 'params', 'stream'];
const ALIASES = { draft_tokens: 'draftTokens', vocab_size: 'vocabSize' };

/** Per core: the read arguments, the copied draft tokens, the uniforms of a call. */
interface Scratch {
  args: Record<string, unknown>;
  tokens: Int32Array;
  u: Float64Array;
}
const SCRATCH = new WeakMap<Core, Scratch>();

export function verifyDraft(core: Core, own: Xoshiro128, args: VerifyDraftArgs): DraftVerification {
  const impl = core.enter();
  try {
    let scratch = SCRATCH.get(core);
    if (scratch === undefined) {
      scratch = { args: Object.create(null), tokens: new Int32Array(16), u: new Float64Array(17) };
      SCRATCH.set(core, scratch);
    }
    // Step one: every getter — the arguments object, the params, a number[] of draft tokens.
    const o = ownOptions('verifyDraft', args, KEYS, ALIASES, 'verifyDraft arguments', scratch.args);
    const p = core.rowParamsAt(0);
    p.read(o.params as SamplingParams | undefined);
    let rng = own;
    if (o.stream !== undefined) {
      const s = o.stream;
      const found = typeof s === 'object' && s !== null ? core.streams.get(s) : undefined;
      if (found === undefined) throw new TypeError(`stream is ${describe(s)}, not a stream of this sampler`);
      rng = found;
    }
    let k = -1;
    const draftTokens = o.draftTokens;
    if (Array.isArray(draftTokens)) {
      k = draftTokens.length;
      scratch.tokens = grown(scratch.tokens, k);
      for (let i = 0; i < k; i++) {
        const t = draftTokens[i];
        if (typeof t !== 'number') throw new TypeError(`draftTokens[${i}] must be a number, got ${describe(t)}`);
        if (!Number.isInteger(t) || t < 0 || t >= MAX_TOKENS) {
          throw new RangeError(`draftTokens[${i}] is ${describe(t)}, not a token id`);
        }
        scratch.tokens[i] = t;
      }
    }

    // Step two: checks, then the kernels, with no user code in between.
    impl.ensureIntact();
    const V = o.vocabSize;
    if (typeof V !== 'number') throw new TypeError(`vocabSize must be a number, got ${describe(V)}`);
    if (!Number.isInteger(V) || V < 1 || V > MAX_TOKENS) {
      throw new RangeError(`vocabSize must be an integer in [1, ${MAX_TOKENS}], got ${describe(V)}`);
    }
    if (k < 0) {
      if (typedArrayKind(draftTokens) !== 'Int32Array') {
        throw new TypeError(`draftTokens must be an Int32Array or number[] of token ids, got ${describe(draftTokens)}`);
      }
      const ids = core.checkAttached('draftTokens', draftTokens as Int32Array);
      k = typedArrayLength(ids);
      scratch.tokens = grown(scratch.tokens, k);
      for (let i = 0; i < k; i++) scratch.tokens[i] = ids[i]!;
    }
    const tokens = scratch.tokens;
    for (let i = 0; i < k; i++) {
      if (tokens[i]! < 0 || tokens[i]! >= V) {
        throw new RangeError(`draftTokens[${i}] is ${tokens[i]}, outside the vocabulary [0, ${V})`);
      }
    }
    let target = o.target as Float32Array | Float64Array;
    rowsOf(core, 'target', target, V, k + 1);
    let draft = o.draft as Float32Array | Float64Array | undefined;
    if (draft !== undefined) rowsOf(core, 'draft', draft, V, k);
    p.resolve(V, core.attached);
    if (p.coin || p.statefulLength > 0) {
      throw new TypeError('verifyDraft takes no stage that flips a coin or keeps state (XTC, mirostat, adaptive-p)');
    }
    // The caller's arrays in the kernels' memory, as in sampleRows(): copied out first unless
    // they are in the view, then taken again in place if a growth detaches them.
    const before = impl.buffer;
    target = ownUnlessInView(core, impl, target, before, 'target');
    if (draft !== undefined) draft = ownUnlessInView(core, impl, draft, before, 'draft', true);
    const targetAt = offsetIn(before, target),
      draftAt = offsetIn(before, draft);
    p.edits.ownViews(before);
    impl.reserve(V, p.edits.room, 0);
    if (impl.buffer !== before) {
      const now = impl.buffer;
      if (targetAt >= 0) target = new Float32Array(now, targetAt, (k + 1) * V);
      if (draft !== undefined && draftAt >= 0) draft = new Float32Array(now, draftAt, k * V);
    }

    // The k + 1 values, taken whatever is accepted.
    scratch.u = grown64(scratch.u, k + 1);
    const u = scratch.u;
    rng.mark();
    for (let i = 0; i <= k; i++) u[i] = rng.nextUnit();
    try {
      for (let i = 0; i < k; i++) {
        const t = tokens[i]!;
        const pt = probOf(core, impl, p, target, i, V, t, 'target');
        const qt = draft === undefined ? 1 : probOf(core, impl, p, draft, i, V, t, 'draft');
        // u < p/q without dividing: q = 0 < p accepts, p = 0 rejects.
        if (u[i]! * qt < pt) continue;
        return { accepted: i, token: residual(core, impl, p, target, draft, i, V, t, u[k]!) };
      }
      place(impl, target, k, V, `target row ${k}: `);
      core.reportLength(V);
      const r = impl.run(MODE_DRAW, p, V, u[k]!, 0, 0);
      if (r.status !== S_OK) throw core.error(impl, p, r, `target row ${k}: `);
      return { accepted: k, token: r.token };
    } catch (e) {
      rng.rewind();
      throw e;
    }
  } finally {
    core.leave();
  }
}

/** The probability of token t under row `row` of `x`, as probs() would give it. */
function probOf(
  core: Core,
  impl: KernelBackend,
  p: Resolved,
  x: Float32Array | Float64Array,
  row: number,
  V: number,
  t: number,
  name: string,
): number {
  place(impl, x, row, V, `${name} row ${row}: `);
  core.reportLength(V);
  const r = impl.run(MODE_PROB, p, V, 0, 0, 0, 0, t);
  if (r.status !== S_OK) throw core.error(impl, p, r, `${name} row ${row}: `);
  return r.prob;
}

/** The token drawn with u from norm(max(0, p − q)) of row i, q one-hot at t without a draft:
 *  the kernels' residual draw (assembly/residual.ts) over p, the target row's distribution as
 *  a MODE_PROBS run leaves it, and q, the draft row's, which waits outside the kernels' memory
 *  while the target's run reuses it. */
function residual(
  core: Core,
  impl: KernelBackend,
  p: Resolved,
  target: Float32Array | Float64Array,
  draft: Float32Array | Float64Array | undefined,
  i: number,
  V: number,
  t: number,
  u: number,
): number {
  let q: Float32Array | undefined;
  if (draft !== undefined) {
    core.scratch = grown32(core.scratch, V);
    q = core.scratch;
    q.set(distribution(core, impl, p, draft, i, V, 'draft'));
  }
  distribution(core, impl, p, target, i, V, 'target');
  if (q !== undefined) impl.draftInput(V).set(q.length === V ? q : q.subarray(0, V));
  const token = impl.residual(V, u, t, q !== undefined);
  // A distribution that a run returned holds mass: never all 0.
  if (token < 0) throw new Error('verifyDraft: the target row has no probability mass (an internal error)');
  return token;
}

/** Row i's processed distribution (the kernels' output: valid until the next run). */
function distribution(
  core: Core,
  impl: KernelBackend,
  p: Resolved,
  x: Float32Array | Float64Array,
  row: number,
  V: number,
  name: string,
): Float32Array {
  place(impl, x, row, V, `${name} row ${row}: `);
  core.reportLength(V);
  const r = impl.run(MODE_PROBS, p, V, 0, 0, 0);
  if (r.status !== S_OK) throw core.error(impl, p, r, `${name} row ${row}: `);
  return impl.output(V);
}

function place(impl: KernelBackend, x: Float32Array | Float64Array, row: number, V: number, where: string): void {
  if (typedArrayKind(x) === 'Float32Array') impl.placeRow(x as Float32Array, row * V, V);
  else impl.place(convert(impl.input(V), x as Float64Array, V, row * V, where));
}

/** `rows` rows of V logits: a Float32Array or Float64Array of that length, attached. */
function rowsOf(core: Core, name: string, x: unknown, V: number, rows: number): void {
  const kind = typedArrayKind(x);
  if (kind !== 'Float32Array' && kind !== 'Float64Array') {
    throw new TypeError(`${name} must be a Float32Array or Float64Array of rows × vocabSize, got ${describe(x)}`);
  }
  core.checkAttached(name, x as Float32Array);
  const length = typedArrayLength(x as Float32Array);
  if (length !== rows * V) {
    throw new RangeError(`${name} must hold ${rows} rows of vocabSize ${V} (${rows * V} entries), got ${length}`);
  }
}

/** x itself, or a copy when it lies in the kernels' memory outside the view (the call writes
 *  there). `second`: a second copy, kept apart from the first. */
function ownUnlessInView(
  core: Core,
  impl: KernelBackend,
  x: Float32Array | Float64Array,
  buffer: ArrayBufferLike,
  name: string,
  second = false,
): Float32Array | Float64Array {
  if (typedArrayBuffer(x) !== buffer || (typedArrayKind(x) === 'Float32Array' && impl.inView(x))) return x;
  if (!second) return core.ownCopy(x, name);
  const copy = new Float32Array(typedArrayLength(x));
  if (typedArrayKind(x) === 'Float32Array') copy.set(x as Float32Array);
  else convert(copy, x as Float64Array, copy.length, 0, '', name);
  return copy;
}

function grown(a: Int32Array, n: number): Int32Array {
  return a.length >= n ? a : new Int32Array(n);
}
function grown64(a: Float64Array, n: number): Float64Array {
  return a.length >= n ? a : new Float64Array(n);
}
function grown32(a: Float32Array, n: number): Float32Array {
  return a.length >= n ? a : new Float32Array(n);
}
