// The edits as the wrapper knows them: the allowed-token mask, the logit bias and the penalties
// over the history — the params that carry arrays. The kernels apply them before the chain, in
// a fixed order (assembly/edits.ts). Like every param they are taken in two steps (params.ts):
// read() copies what plain objects and arrays hold (their getters run there, with every other
// param's), and check() validates that and the caller's typed arrays once no user code can run.
import { F_MASK, MAX_TOKENS } from '../assembly/abi.js';
import { finite, integer } from './checks.js';
import { describe, typedArrayBuffer, typedArrayKind, typedArrayLength, typedArrayOffset } from './describe.js';

/** A logit bias: token id → value added to its logit (-Infinity bans the token). The typed
 *  form `{ ids, values }` is read without converting anything. */
export type LogitBias = ReadonlyMap<number, number> | Readonly<Record<number, number>> | BiasArrays;

/** The fast form of a logit bias: parallel arrays of token ids and values. */
export interface BiasArrays {
  readonly ids: Int32Array;
  readonly values: Float32Array;
}

/** The params of the edits (part of {@link SamplingParams}). */
export interface EditParams {
  /** Added to the logits before anything else but the mask. */
  logitBias?: LogitBias;
  /** Allowed-token bitmask (grammar engines): bit i & 31 of word i >> 5 set ⇔ token i
   *  allowed; ⌈V/32⌉ words. */
  allowed?: Uint32Array;
  /** Tokens generated so far, read by the penalties (the last `penaltyLastN` of them). Every
   *  entry must be a token id of the vocabulary. */
  history?: Int32Array | readonly number[];
  /** How many of the latest history tokens the penalties consider. Default: all. */
  penaltyLastN?: number;
  /** Hugging Face's repetition penalty (> 0; 1 = off): a seen token's positive logit is
   *  divided by it, a negative one multiplied. */
  repetitionPenalty?: number;
  /** OpenAI's presence penalty: subtracted once from every seen token's logit. */
  presencePenalty?: number;
  /** OpenAI's frequency penalty: subtracted once per occurrence. */
  frequencyPenalty?: number;
}

/** The params the edits read. */
export const EDIT_KEYS = [
  'logitBias',
  'allowed',
  'history',
  'penaltyLastN',
  'repetitionPenalty',
  'presencePenalty',
  'frequencyPenalty',
] as const;

export const EDIT_ALIASES: Readonly<Record<string, string>> = {
  logit_bias: 'logitBias',
  repetition_penalty: 'repetitionPenalty',
  repeat_penalty: 'repetitionPenalty',
  presence_penalty: 'presencePenalty',
  frequency_penalty: 'frequencyPenalty',
  penalty_last_n: 'penaltyLastN',
  repeat_last_n: 'penaltyLastN',
  mask: 'allowed',
  bitmask: 'allowed',
};

/** How the wrapper tells a typed array it cannot use: throws for a detached one. @internal */
export type AttachedCheck = <T extends ArrayBufferView>(name: string, a: T) => T;

/** The edits of one call, in kernel form; reused from call to call. @internal */
export class Edits {
  mask: Uint32Array<ArrayBufferLike> | null = null;
  private maskWords = 0;
  biasIds: Int32Array<ArrayBufferLike> = new Int32Array(0);
  biasValues: Float32Array<ArrayBufferLike> = new Float32Array(0);
  biasCount = 0;
  /** The penalties' window: history[historyFrom …) of historyCount tokens (0: no penalty). */
  history: Int32Array<ArrayBufferLike> = new Int32Array(0);
  historyFrom = 0;
  historyCount = 0;

  private ownMask: Uint32Array = new Uint32Array(0);
  // What read() copied: a Map's or object's entries (checked by check()), and a number[] history.
  private rawIds = new Float64Array(16);
  private rawValues = new Float64Array(16);
  private rawCount = -1; // -1: no Map or object bias this call
  private rawForm: 'map' | 'object' = 'object';
  private fast: { ids: unknown; values: unknown } = { ids: undefined, values: undefined };
  private ownIds = new Int32Array(16);
  private ownValues = new Float32Array(16);
  private ownHistory = new Int32Array(16);
  private plainHistory = -1; // length of a number[] history copied to ownHistory; -1: none

  /** Step one: copies the bias entries of a Map or object, the fast form's two fields and a
   *  number[] history, running whatever getters they have. */
  read(o: Record<string, unknown>): void {
    this.rawCount = -1;
    this.fast.ids = this.fast.values = undefined;
    this.plainHistory = -1;
    if (o.logitBias !== undefined) this.readBias(o.logitBias);
    const h = o.history;
    if (Array.isArray(h)) {
      const count = h.length;
      if (count > MAX_TOKENS) throw new RangeError(`history has ${count} tokens; at most ${MAX_TOKENS} are supported`);
      if (this.ownHistory.length < count) this.ownHistory = new Int32Array(count);
      for (let k = 0; k < count; k++) {
        const id = h[k];
        if (typeof id !== 'number') throw new TypeError(`history[${k}] must be a number, got ${describe(id)}`);
        if (!Number.isInteger(id) || id < 0 || id >= MAX_TOKENS) {
          throw new RangeError(`history[${k}] is ${describe(id)}, not a token id`);
        }
        this.ownHistory[k] = id;
      }
      this.plainHistory = count;
    }
  }

  /** Step two: checks everything against the vocabulary n, with the caller's typed arrays
   *  (no user code runs from here to the kernels), and fills the penalties' slot. */
  check(o: Record<string, unknown>, n: number, slot: Float64Array, ctx: { flags: number }, attached: AttachedCheck) {
    this.mask = null;
    if (o.allowed !== undefined) {
      const v = o.allowed;
      if (typedArrayKind(v) !== 'Uint32Array') {
        throw new TypeError(`allowed must be a Uint32Array bitmask (bit i & 31 of word i >> 5), got ${describe(v)}`);
      }
      const mask = attached('allowed', v as Uint32Array);
      const words = (n + 31) >>> 5;
      const length = typedArrayLength(mask);
      if (length !== words) {
        throw new RangeError(`allowed must have ⌈${n}/32⌉ = ${words} words for ${n} tokens, got ${length}`);
      }
      this.mask = mask;
      this.maskWords = words;
      ctx.flags |= F_MASK;
    }
    this.checkBias(n, attached);
    this.checkPenalties(o, n, slot, attached);
  }

  private readBias(v: unknown): void {
    if (typeof v !== 'object' || v === null) {
      throw new TypeError(`logitBias must be a Map, a { [id]: value } object or { ids, values }, got ${describe(v)}`);
    }
    const keys = ownKeys(v);
    if (keys === ARRAYS_FORM) {
      const f = v as Record<string, unknown>;
      this.fast.ids = f.ids;
      this.fast.values = f.values;
      return;
    }
    this.rawCount = 0;
    if (keys === 0 && isMap(v)) {
      this.rawForm = 'map';
      Map.prototype.forEach.call(v, (value: unknown, id: unknown) => {
        this.raw(id, value, `logitBias key ${describe(id)}`, `logitBias.get(${describe(id)})`);
      });
      return;
    }
    this.rawForm = 'object';
    // for-in lists the own enumerable keys Object.keys() would, without an array per call.
    for (const key in v) {
      if (!isEnumerable.call(v, key)) continue;
      if (!/^(0|[1-9]\d*)$/.test(key)) throw new RangeError(`logitBias key '${key}' is not a token id`);
      this.raw(Number(key), (v as Record<string, unknown>)[key], `logitBias key '${key}'`, `logitBias['${key}']`);
    }
  }

  private raw(id: unknown, value: unknown, idName: string, valueName: string): void {
    if (typeof id !== 'number') throw new RangeError(`${idName} is not a token id`);
    if (typeof value !== 'number') throw new TypeError(`${valueName} must be a number, got ${describe(value)}`);
    const k = this.rawCount;
    if (k >= MAX_TOKENS) throw new RangeError(`logitBias has more than ${MAX_TOKENS} entries`);
    if (k === this.rawIds.length) {
      const ids = new Float64Array(2 * k),
        values = new Float64Array(2 * k);
      ids.set(this.rawIds);
      values.set(this.rawValues);
      this.rawIds = ids;
      this.rawValues = values;
    }
    this.rawIds[k] = id;
    this.rawValues[k] = value;
    this.rawCount = k + 1;
  }

  private checkBias(n: number, attached: AttachedCheck): void {
    this.biasCount = 0;
    if (this.rawCount >= 0) {
      const count = this.rawCount;
      if (this.ownIds.length < count) {
        this.ownIds = new Int32Array(count);
        this.ownValues = new Float32Array(count);
      }
      for (let k = 0; k < count; k++) {
        const id = this.rawIds[k]!,
          v = this.rawValues[k]!;
        const map = this.rawForm === 'map';
        if (!Number.isInteger(id) || id < 0 || id >= n) {
          const key = map ? describe(id) : `'${id}'`;
          throw new RangeError(`logitBias key ${key} is not a token id in [0, ${n})`);
        }
        const f = Math.fround(v);
        // A finite value that rounds to ±Infinity in float32 would silently become a ban or an
        // invalid logit: only -Infinity itself bans.
        if (!(v < Infinity) || f === Infinity || (f === -Infinity && v !== -Infinity)) {
          const entry = map ? `logitBias.get(${id})` : `logitBias['${id}']`;
          throw new RangeError(`${entry} is ${describe(v)}; a bias is a finite float32 or -Infinity (ban)`);
        }
        this.ownIds[k] = id;
        this.ownValues[k] = f;
      }
      this.biasIds = this.ownIds;
      this.biasValues = this.ownValues;
      this.biasCount = count;
      return;
    }
    const { ids, values } = this.fast;
    if (ids === undefined && values === undefined) return;
    if (typedArrayKind(ids) !== 'Int32Array') {
      throw new TypeError(`logitBias.ids must be an Int32Array, got ${describe(ids)}`);
    }
    if (typedArrayKind(values) !== 'Float32Array') {
      throw new TypeError(`logitBias.values must be a Float32Array, got ${describe(values)}`);
    }
    const I = attached('logitBias.ids', ids as Int32Array);
    const V = attached('logitBias.values', values as Float32Array);
    const count = typedArrayLength(I);
    if (count !== typedArrayLength(V)) {
      throw new RangeError(`logitBias.ids and .values must have one length, got ${count} and ${typedArrayLength(V)}`);
    }
    if (count > MAX_TOKENS) throw new RangeError(`logitBias has ${count} entries; at most ${MAX_TOKENS} are supported`);
    // The entries themselves are checked by the kernels, in the loop that applies them (a
    // RangeError from badBias()): a second pass here cost more than the edits.
    this.biasIds = I;
    this.biasValues = V;
    this.biasCount = count;
  }

  /**
   * Copies this call's arrays that are views of `buffer`, the kernels' memory, into the edits'
   * own: the call writes that memory (a mask's copy, the bias regions, a growth's layout) before
   * the kernels read them, so they are taken out first — rare, and then at the cost of a copy.
   */
  ownViews(buffer: ArrayBufferLike): void {
    if (this.mask && typedArrayBuffer(this.mask) === buffer) {
      this.ownMask = grownU32(this.ownMask, this.maskWords);
      this.ownMask.set(this.mask);
      this.mask = this.ownMask.subarray(0, this.maskWords);
    }
    if (this.biasCount && typedArrayBuffer(this.biasIds) === buffer) {
      if (this.ownIds.length < this.biasCount) this.ownIds = new Int32Array(this.biasCount);
      this.ownIds.set(this.biasIds);
      this.biasIds = this.ownIds;
    }
    if (this.biasCount && typedArrayBuffer(this.biasValues) === buffer) {
      if (this.ownValues.length < this.biasCount) this.ownValues = new Float32Array(this.biasCount);
      this.ownValues.set(this.biasValues);
      this.biasValues = this.ownValues;
    }
    if (this.historyCount && typedArrayBuffer(this.history) === buffer) {
      const window = this.history.subarray(this.historyFrom, this.historyFrom + this.historyCount);
      if (this.ownHistory.length < this.historyCount) this.ownHistory = new Int32Array(this.historyCount);
      this.ownHistory.set(window);
      this.history = this.ownHistory;
      this.historyFrom = 0;
    }
  }

  /** The error for bias entry k, refused by the kernels. */
  badBias(k: number, n: number): RangeError {
    const id = this.biasIds[k]!,
      b = this.biasValues[k]!;
    if (!(id >= 0 && id < n)) return new RangeError(`logitBias.ids[${k}] is ${id}, outside the vocabulary [0, ${n})`);
    return new RangeError(`logitBias.values[${k}] is ${b}; a bias is finite or -Infinity (ban)`);
  }

  private checkPenalties(o: Record<string, unknown>, n: number, slot: Float64Array, attached: AttachedCheck): void {
    let repetition = 1;
    if (o.repetitionPenalty !== undefined) {
      repetition = Math.fround(finite('repetitionPenalty', o.repetitionPenalty));
      if (!(repetition > 0)) {
        throw new RangeError(`repetitionPenalty must be > 0 (1 = off), got ${describe(o.repetitionPenalty)}`);
      }
    }
    const presence = o.presencePenalty === undefined ? 0 : finite('presencePenalty', o.presencePenalty);
    const frequency = o.frequencyPenalty === undefined ? 0 : finite('frequencyPenalty', o.frequencyPenalty);
    let window = Infinity;
    if (o.penaltyLastN !== undefined) window = integer('penaltyLastN', o.penaltyLastN, 0, Infinity, '≥ 0');
    const on = repetition !== 1 || presence !== 0 || frequency !== 0;
    slot[0] = repetition;
    slot[1] = presence;
    slot[2] = frequency;
    this.historyCount = 0;
    const h = o.history;
    if (h === undefined) {
      if (on) {
        throw new TypeError(
          'repetitionPenalty, presencePenalty and frequencyPenalty need the token history: pass params.history',
        );
      }
      return;
    }
    let len: number;
    if (this.plainHistory >= 0) {
      len = this.plainHistory;
      this.history = this.ownHistory;
    } else {
      if (typedArrayKind(h) !== 'Int32Array') {
        throw new TypeError(`history must be an Int32Array or number[] of token ids, got ${describe(h)}`);
      }
      this.history = attached('history', h as Int32Array);
      len = typedArrayLength(this.history);
    }
    // Every entry is checked, penalties on or not: other stages read the history too.
    const hist = this.history;
    for (let k = 0; k < len; k++) {
      const id = hist[k]!;
      if (id < 0 || id >= n) throw badHistory(k, id, n);
    }
    if (!on) return;
    this.historyFrom = Math.max(0, len - window);
    this.historyCount = len - this.historyFrom;
  }
}

function grownU32(a: Uint32Array, n: number): Uint32Array {
  return a.length >= n ? a : new Uint32Array(n);
}

/** The byte offset of `a` in `buffer`, or -1 when it is not a view of it. */
export function offsetIn(buffer: ArrayBufferLike, a: ArrayBufferView | null | undefined): number {
  return a && typedArrayBuffer(a) === buffer ? typedArrayOffset(a) : -1;
}

function badHistory(k: number, id: unknown, n: number): RangeError {
  return new RangeError(`history[${k}] is ${describe(id)}, not a token id in [0, ${n})`);
}

const ARRAYS_FORM = -1;

/** How many own enumerable keys a bias object has, or ARRAYS_FORM when they are exactly `ids`
 *  and `values` (counted without Object.keys(), which would allocate on every call). */
function ownKeys(v: object): number {
  let count = 0,
    named = 0;
  for (const key in v) {
    if (!isEnumerable.call(v, key)) continue;
    count++;
    if (key === 'ids' || key === 'values') named++;
  }
  return count === 2 && named === 2 ? ARRAYS_FORM : count;
}

/** A Map of any realm, by its internal slot: Map.prototype.has refuses anything else without
 *  running its code (a Symbol.toStringTag or a prototype can lie; this cannot). A plain object
 *  of this realm is no Map, and is let through without the throw (an exception per call
 *  would allocate its stack trace). */
function isMap(v: object): boolean {
  if (v instanceof Map) return true;
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return false;
  try {
    Map.prototype.has.call(v, 0);
    return true;
  } catch {
    return false;
  }
}

const isEnumerable = Object.prototype.propertyIsEnumerable;
