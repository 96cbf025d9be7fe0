// sampleRows(): many sequences at once. A `[rows × V]` block of logits — what a batched model
// call returns — gives one token per row, each from its own stream, so that row r's token is
// exactly streams[r].sample(row r, params[r]) whatever else shares the batch; with one row and
// n streams, n samples of it (n > 1 completions). The params are read and checked once, not
// once per row, and a logitsView() is read in place row by row.
import { MAX_TOKENS } from '../assembly/abi.js';
import type { EditRoom } from './backend/kernels.js';
import { NO_EDITS } from './backend/kernels.js';
import type { Core } from './core.js';
import { convert } from './core.js';
import { describe, isDetached, typedArrayBuffer, typedArrayKind } from './describe.js';
import { offsetIn } from './edits.js';
import type { SamplingParams } from './params.js';
import type { Xoshiro128 } from './rng.js';
import type { RowParams, SampleStream } from './sampler.js';

export function sampleRows(
  core: Core,
  logits: Float32Array | Float64Array,
  vocabSize: number,
  params: RowParams,
  streams: readonly SampleStream[],
  out?: Int32Array,
): Int32Array {
  const impl = core.enter();
  const rngs = rowStreams(core);
  try {
    // Step one: every getter — the params (one, or each row's) and the streams array's entries.
    if (!Array.isArray(streams)) {
      throw new TypeError(`streams must be an array of this sampler's streams, got ${describe(streams)}`);
    }
    const draws = streams.length;
    if (draws === 0) throw new RangeError('streams is empty: one stream per row (or per sample of one row)');
    rngs.length = draws;
    for (let r = 0; r < draws; r++) {
      const s = streams[r];
      const rng = typeof s === 'object' && s !== null ? core.streams.get(s) : undefined;
      if (rng === undefined) throw new TypeError(`streams[${r}] is ${describe(s)}, not a stream of this sampler`);
      rngs[r] = rng;
    }
    const perRow = Array.isArray(params);
    if (perRow) {
      if (params.length !== draws) {
        throw new RangeError(
          `params has ${params.length} entries for ${draws} streams: give one object, or one per stream`,
        );
      }
      for (let r = 0; r < draws; r++) {
        try {
          core.rowParamsAt(r).read(params[r]);
        } catch (e) {
          throw namingRow(r, e);
        }
      }
    } else core.rowParamsAt(0).read(params as SamplingParams | undefined);

    // Step two: checks, then the kernels, with no user code in between.
    impl.ensureIntact();
    if (typeof vocabSize !== 'number') throw new TypeError(`vocabSize must be a number, got ${describe(vocabSize)}`);
    if (!Number.isInteger(vocabSize) || vocabSize < 1 || vocabSize > MAX_TOKENS) {
      throw new RangeError(`vocabSize must be an integer in [1, ${MAX_TOKENS}], got ${describe(vocabSize)}`);
    }
    const kind = typedArrayKind(logits);
    if (kind !== 'Float32Array' && kind !== 'Float64Array') {
      throw new TypeError(`logits must be a Float32Array or Float64Array of rows × vocabSize, got ${describe(logits)}`);
    }
    const length = core.checkLogits('logits', logits);
    if (length % vocabSize !== 0) {
      throw new RangeError(`logits has ${length} entries, not a whole number of rows of vocabSize ${vocabSize}`);
    }
    const rows = length / vocabSize;
    if (rows !== draws && rows !== 1) {
      throw new RangeError(`logits holds ${rows} rows but ${draws} streams were given: one per row (or n for one row)`);
    }
    const room = core.rowsRoom;
    Object.assign(room, NO_EDITS);
    for (let r = 0; r < (perRow ? draws : 1); r++) {
      let e: EditRoom;
      try {
        e = core.rowParamsAt(r).resolve(vocabSize, core.attached).edits.room;
      } catch (err) {
        throw perRow ? namingRow(r, err) : err;
      }
      room.bias = Math.max(room.bias, e.bias);
      room.history = Math.max(room.history, e.history);
      room.sequences = Math.max(room.sequences, e.sequences);
      room.sequenceTokens = Math.max(room.sequenceTokens, e.sequenceTokens);
      room.edited = Math.max(room.edited, e.edited);
    }
    if (out !== undefined) core.checkOut(out, draws, 'one entry per stream,', true);
    // The caller's arrays in the kernels' memory: logits outside the view and the edits' arrays
    // are copied out first (the call writes there); the view's rows are read in place, and
    // they and `out` are taken again where their bytes are if a growth detaches them.
    const before = impl.buffer;
    let x: Float32Array | Float64Array = logits;
    if (typedArrayBuffer(x) === before && !(kind === 'Float32Array' && impl.inView(x))) x = core.ownCopy(x);
    const xAt = offsetIn(before, x),
      outAt = offsetIn(before, out);
    for (let r = 0; r < (perRow ? draws : 1); r++) core.rowParamsAt(r).edits.ownViews(before);
    impl.reserve(vocabSize, room, 0);
    if (impl.buffer !== before) {
      const now = impl.buffer;
      if (xAt >= 0) x = new Float32Array(now, xAt, length);
      if (outAt >= 0) out = new Int32Array(now, outAt, draws);
    }
    // Into `out` once every row is drawn: it may lie where a later row is read or copied.
    const tokens = out === undefined ? new Int32Array(draws) : rowTokens(core, draws, 0);

    // All or nothing: a rejected row gives back every stream's values.
    for (let r = 0; r < draws; r++) rngs[r]!.mark();
    try {
      for (let r = 0; r < draws; r++) {
        const row = rows === 1 ? 0 : r;
        if (typedArrayKind(x) === 'Float32Array') impl.placeRow(x as Float32Array, row * vocabSize, vocabSize);
        else impl.place(convert(impl.input(vocabSize), x as Float64Array, vocabSize, row * vocabSize, `row ${row}: `));
        core.reportLength(vocabSize);
        const p = core.rowParamsAt(perRow ? r : 0);
        // A state that earlier rows share moves on from where they left it: rows in order.
        if (perRow && p.statefulLength > 0) for (let q = 0; q < r; q++) p.adoptState(core.rowParamsAt(q));
        // One row drawn n times: a kernel error may come from this draw's own params.
        const where = rows === 1 && perRow && draws > 1 ? `row 0 with params[${r}]: ` : `row ${row}: `;
        tokens[r] = core.drawUnmarked(impl, rngs[r]!, p, vocabSize, 0, 0, where).token;
      }
      // `out` before the states: a state's setter is user code, which may detach `out` once it
      // has been checked. Its earlier contents are kept until the states are written.
      const saved = out === undefined ? undefined : rowTokens(core, draws, 1);
      if (out !== undefined && saved !== undefined) {
        for (let r = 0; r < draws; r++) saved[r] = out[r]!;
        for (let r = 0; r < draws; r++) out[r] = tokens[r]!;
      }
      // Stateful stages' new state, once every row is drawn (a rejected batch changes none).
      const written = perRow ? draws : 1;
      for (let r = 0; r < written; r++) {
        try {
          core.rowParamsAt(r).afterDraw();
        } catch (e) {
          for (let q = r - 1; q >= 0; q--) core.rowParamsAt(q).undoDraw();
          // `out` (perhaps a part of the caller's logits) as it was, if the setters left it.
          if (out !== undefined && saved !== undefined && !isDetached(out)) {
            for (let q = 0; q < draws; q++) out[q] = saved[q]!;
          }
          throw perRow ? namingRow(r, e) : e;
        }
      }
    } catch (e) {
      for (let r = 0; r < draws; r++) rngs[r]!.rewind();
      throw e;
    }
    return out ?? tokens;
  } finally {
    rngs.length = 0;
    core.leave();
  }
}

/** The core's reusable list of this call's streams (a batch allocates nothing per row). */
function rowStreams(core: Core): Xoshiro128[] {
  let list = SCRATCH.get(core);
  if (list === undefined) {
    list = [];
    SCRATCH.set(core, list);
  }
  return list;
}
const SCRATCH = new WeakMap<Core, Xoshiro128[]>();

/** Per core, two scratch lists for a call with `out`: `which` 0 is where its tokens are drawn
 *  first, 1 where out's earlier contents wait until the states are written. */
function rowTokens(core: Core, n: number, which: 0 | 1): Int32Array {
  let lists = TOKENS.get(core);
  if (lists === undefined) {
    lists = [new Int32Array(64), new Int32Array(64)];
    TOKENS.set(core, lists);
  }
  if (lists[which].length < n) lists[which] = new Int32Array(n);
  return lists[which];
}
const TOKENS = new WeakMap<Core, [Int32Array, Int32Array]>();

/** params[r]'s TypeError or RangeError, naming it (its row's, or its draw's of one row). */
function namingRow(r: number, e: unknown): unknown {
  if (e instanceof RangeError) return new RangeError(`params[${r}]: ${e.message}`);
  if (e instanceof TypeError) return new TypeError(`params[${r}]: ${e.message}`);
  return e;
}
