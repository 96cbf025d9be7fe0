// Validation and defaults: the only place sampling options are parsed. Everything past this
// file receives plain, checked numbers in the float32 form the kernels use.

import { float32AtLeast } from './bits.js';
import { describe, isDetached, ownOptions, typedArrayKind, typedArrayLength } from './describe.js';
import { MAX_TOKENS } from './limits.js';

/** A logit bias: token id → value added to its logit (-Infinity bans the token). The typed
 *  form `{ ids, values }` is read without converting anything. */
export type LogitBias = ReadonlyMap<number, number> | Readonly<Record<number, number>> | BiasArrays;

/** The fast form of a logit bias: parallel arrays of token ids and values. */
export interface BiasArrays {
  readonly ids: Int32Array;
  readonly values: Float32Array;
}

/** Entropy-based temperature: T = min + (max − min)·(H / ln V′)^exponent, with H the entropy
 *  (nats) of the distribution at temperature 1 and V′ its unmasked tokens — llama.cpp's
 *  `dynatemp` with min = temp − range and max = temp + range. */
export interface DynamicTemperature {
  min: number;
  max: number;
  /** Default 1. */
  exponent?: number;
}

/**
 * How to turn logits into a token. Applied in this order: allowed mask → logit bias →
 * penalties → temperature (fixed or dynamic) → top-k → top-p → min-p → typical-p →
 * renormalise → draw. Every option is off by default.
 */
export interface SamplingParams {
  /** softmax(logits / temperature). 0 = greedy (argmax, lowest index on ties); 1 (default) =
   *  the model's own distribution; larger flattens it. */
  temperature?: number;
  /** Entropy-based temperature instead of a fixed one (not together with `temperature`). */
  dynamicTemperature?: DynamicTemperature;
  /** Keep the tokens whose logit is ≥ the k-th largest (ties kept). 0 (default) or
   *  k ≥ vocabulary size = off. */
  topK?: number;
  /** Keep the smallest prefix, by probability descending then index ascending, whose mass
   *  is ≥ topP (at least one token). In (0, 1]; 1 (default) = off. */
  topP?: number;
  /** Keep the tokens with p ≥ minP · p_max. In [0, 1]; 0 (default) = off. */
  minP?: number;
  /** Locally typical sampling: keep the tokens whose −ln p is closest to the entropy, the
   *  fewest reaching a mass ≥ typicalP. In (0, 1]; 1 (default) = off. */
  typicalP?: number;
  /** Added to the logits before anything else but the mask. */
  logitBias?: LogitBias;
  /** Allowed-token bitmask (grammar engines): bit i & 31 of word i >> 5 set ⇔ token i
   *  allowed; ⌈V/32⌉ words. */
  allowed?: Uint32Array;
  /** Tokens generated so far, read by the penalties (the last `penaltyLastN` of them). */
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
  /** 'logits' (default) or 'probs': the array holds probabilities (≥ 0, any scale), and
   *  temperature acts as softmax(ln p / T); p = 0 is masked. */
  input?: 'logits' | 'probs';
}

const KNOWN = [
  'temperature',
  'dynamicTemperature',
  'topK',
  'topP',
  'minP',
  'typicalP',
  'logitBias',
  'allowed',
  'history',
  'penaltyLastN',
  'repetitionPenalty',
  'presencePenalty',
  'frequencyPenalty',
  'input',
] as const;
const ALIASES: Record<string, string> = {
  top_k: 'topK',
  top_p: 'topP',
  min_p: 'minP',
  typical_p: 'typicalP',
  temp: 'temperature',
  logit_bias: 'logitBias',
  repetition_penalty: 'repetitionPenalty',
  presence_penalty: 'presencePenalty',
  frequency_penalty: 'frequencyPenalty',
  penalty_last_n: 'penaltyLastN',
  repeat_penalty: 'repetitionPenalty',
  dynatemp: 'dynamicTemperature',
  mask: 'allowed',
  bitmask: 'allowed',
};

const F32_MAX = 3.4028234663852886e38;
/** Kernel flags (assembly/params.ts). */
export const F_MASK = 2;
export const F_PROBS = 4;

/** Checked parameters in kernel form, reused from call to call. @internal */
export class Resolved {
  /** log2(e)/temperature as float32 (clamped to its range); 0 = greedy. */
  c = Math.fround(Math.LOG2E);
  /** log2(e)/temperature unclamped: the kernels rescale logits by it when a tiny temperature
   *  pushes c past the float32 range. */
  c64 = Math.LOG2E;
  /** The temperature itself (what sampleDetailed reports). */
  temperature = 1;
  topK = 0;
  topP = 1;
  /** The smallest float32 ≥ minP (so that e ≥ it ⟺ e ≥ minP for a float32 e); 0 = off. */
  minP = 0;
  /** log2(minP) − 1: no token with a smaller z survives min-p. */
  minPZ = 0;
  typicalP = 1;
  /** F_MASK | F_PROBS. */
  flags = 0;
  repetition = 1;
  presence = 0;
  frequency = 0;
  mask: Uint32Array | null = null;
  biasIds: Int32Array<ArrayBufferLike> = new Int32Array(0);
  biasValues: Float32Array<ArrayBufferLike> = new Float32Array(0);
  biasCount = 0;
  /** The history window the penalties read (historyCount of it), 0 when no penalty is on. */
  history: Int32Array<ArrayBufferLike> = new Int32Array(0);
  historyCount = 0;
  dynamic: { min: number; max: number; exponent: number } | null = null;
  // Owned scratch for converted biases and histories (grown, never shrunk).
  private ownIds = new Int32Array(16);
  private ownValues = new Float32Array(16);
  private ownHistory = new Int32Array(16);
  /** The caller's params as read this call (one record, reused). */
  private readonly options: Record<string, unknown> = Object.fromEntries(KNOWN.map((k) => [k, undefined]));

  /** Validates `params` into this object. `n` (the vocabulary) bounds ids and the mask. */
  resolve(params: SamplingParams | undefined, n: number): this {
    this.reset();
    if (params === undefined || params === null) return this;
    const o = ownOptions('sampling', params, KNOWN, ALIASES, 'params', this.options);
    const temperature = o.temperature;
    if (temperature !== undefined && o.dynamicTemperature !== undefined) {
      throw new TypeError('give temperature or dynamicTemperature, not both');
    }
    if (temperature !== undefined) this.setTemperature(number('temperature', temperature, 0, Infinity, false));
    if (o.dynamicTemperature !== undefined) this.dynamic = dynamicOf(o.dynamicTemperature);
    if (o.topK !== undefined) {
      const k = integer('topK', o.topK, 0, Number.MAX_SAFE_INTEGER, '≥ 0 (0 = off)');
      this.topK = k >= n ? 0 : k;
    }
    if (o.topP !== undefined) this.topP = probability('topP', o.topP, false, '(0, 1] (1 = off)');
    if (o.minP !== undefined) {
      const p = probability('minP', o.minP, true, '[0, 1] (0 = off)');
      this.minP = float32AtLeast(p);
      this.minPZ = p > 0 ? Math.fround(Math.log2(p) - 1) : 0;
    }
    if (o.typicalP !== undefined) this.typicalP = probability('typicalP', o.typicalP, false, '(0, 1] (1 = off)');
    if (o.input !== undefined) {
      if (o.input !== 'logits' && o.input !== 'probs') {
        throw new TypeError(`input must be 'logits' or 'probs', got ${describe(o.input)}`);
      }
      if (o.input === 'probs') this.flags |= F_PROBS;
    }
    if (o.allowed !== undefined) this.maskOf(o.allowed, n);
    if (o.logitBias !== undefined) this.biasOf(o.logitBias, n);
    this.penaltiesOf(o, n);
    return this;
  }

  /** c and c64 for a temperature (also the one dynamic temperature chooses). */
  setTemperature(t: number): void {
    this.temperature = t;
    this.c = cOf(t);
    this.c64 = t === 0 ? 0 : Math.LOG2E / t;
  }

  private reset(): void {
    this.setTemperature(1);
    this.topK = 0;
    this.topP = 1;
    this.minP = 0;
    this.minPZ = 0;
    this.typicalP = 1;
    this.flags = 0;
    this.repetition = 1;
    this.presence = 0;
    this.frequency = 0;
    this.mask = null;
    this.biasCount = 0;
    this.historyCount = 0;
    this.dynamic = null;
  }

  private maskOf(v: unknown, n: number): void {
    if (typedArrayKind(v) !== 'Uint32Array') {
      throw new TypeError(`allowed must be a Uint32Array bitmask (bit i & 31 of word i >> 5), got ${describe(v)}`);
    }
    const words = (n + 31) >>> 5;
    const mask = attached('allowed', v as Uint32Array);
    const length = typedArrayLength(mask);
    if (length !== words) {
      throw new RangeError(`allowed must have ⌈${n}/32⌉ = ${words} words for ${n} tokens, got ${length}`);
    }
    this.mask = mask;
    this.flags |= F_MASK;
  }

  private biasOf(v: unknown, n: number): void {
    if (typeof v !== 'object' || v === null) {
      throw new TypeError(`logitBias must be a Map, a { [id]: value } object or { ids, values }, got ${describe(v)}`);
    }
    if (isMap(v)) {
      this.growBias((v as Map<unknown, unknown>).size);
      let k = 0;
      Map.prototype.forEach.call(v, (value: unknown, id: unknown) => {
        this.ownIds[k] = biasId(id, n, `logitBias key ${describe(id)}`);
        this.ownValues[k] = biasValue(value, `logitBias.get(${describe(id)})`);
        k++;
      });
      this.useOwnBias(k);
      return;
    }
    if (isArraysForm(v)) {
      const { ids, values } = v as Record<string, unknown>;
      if (typedArrayKind(ids) !== 'Int32Array')
        throw new TypeError(`logitBias.ids must be an Int32Array, got ${describe(ids)}`);
      if (typedArrayKind(values) !== 'Float32Array') {
        throw new TypeError(`logitBias.values must be a Float32Array, got ${describe(values)}`);
      }
      const I = attached('logitBias.ids', ids as Int32Array);
      const V = attached('logitBias.values', values as Float32Array);
      const count = typedArrayLength(I);
      if (count !== typedArrayLength(V)) {
        throw new RangeError(`logitBias.ids and .values must have one length, got ${count} and ${typedArrayLength(V)}`);
      }
      // The entries themselves are checked by the kernels, in the loop that applies them
      // (a RangeError from badBias()): a second pass here cost more than the edits.
      this.biasIds = I;
      this.biasValues = V;
      this.biasCount = count;
      return;
    }
    const keys = Object.keys(v);
    this.growBias(keys.length);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (!/^(0|[1-9]\d*)$/.test(key)) throw new RangeError(`logitBias key '${key}' is not a token id`);
      this.ownIds[k] = biasId(Number(key), n, `logitBias key '${key}'`);
      this.ownValues[k] = biasValue((v as Record<string, unknown>)[key], `logitBias['${key}']`);
    }
    this.useOwnBias(keys.length);
  }

  /** The error for bias entry k, refused by a kernel (fast form) or by a conversion. */
  badBias(k: number, n: number): RangeError {
    const id = this.biasIds[k]!,
      b = this.biasValues[k]!;
    if (!(id >= 0 && id < n)) return new RangeError(`logitBias.ids[${k}] is ${id}, outside the vocabulary [0, ${n})`);
    return new RangeError(`logitBias.values[${k}] is ${b}; a bias is finite or -Infinity (ban)`);
  }

  private growBias(count: number): void {
    if (count > MAX_TOKENS) throw new RangeError(`logitBias has ${count} entries; at most ${MAX_TOKENS} are supported`);
    if (this.ownIds.length < count) {
      this.ownIds = new Int32Array(count);
      this.ownValues = new Float32Array(count);
    }
  }

  private useOwnBias(count: number): void {
    this.biasIds = this.ownIds;
    this.biasValues = this.ownValues;
    this.biasCount = count;
  }

  private penaltiesOf(o: Record<string, unknown>, n: number): void {
    if (o.repetitionPenalty !== undefined) {
      this.repetition = Math.fround(number('repetitionPenalty', o.repetitionPenalty, 0, Infinity, true));
      if (!(this.repetition > 0)) {
        throw new RangeError(`repetitionPenalty must be > 0 (1 = off), got ${describe(o.repetitionPenalty)}`);
      }
    }
    if (o.presencePenalty !== undefined) this.presence = Math.fround(finite('presencePenalty', o.presencePenalty));
    if (o.frequencyPenalty !== undefined) this.frequency = Math.fround(finite('frequencyPenalty', o.frequencyPenalty));
    let window = Infinity;
    if (o.penaltyLastN !== undefined) window = integer('penaltyLastN', o.penaltyLastN, 0, Infinity, '≥ 0');
    const on = this.repetition !== 1 || this.presence !== 0 || this.frequency !== 0;
    const h = o.history;
    if (h === undefined) {
      if (on) {
        throw new TypeError(
          'repetitionPenalty, presencePenalty and frequencyPenalty need the token history: pass params.history',
        );
      }
      return;
    }
    const kind = typedArrayKind(h);
    if (kind !== 'Int32Array' && !Array.isArray(h)) {
      throw new TypeError(`history must be an Int32Array or number[] of token ids, got ${describe(h)}`);
    }
    const list = h as ArrayLike<unknown>;
    const len = kind === 'Int32Array' ? typedArrayLength(attached('history', h as Int32Array)) : list.length;
    const from = Math.max(0, len - window);
    const count = len - from;
    if (!on || count === 0) return;
    if (count > MAX_TOKENS)
      throw new RangeError(`history window has ${count} tokens; at most ${MAX_TOKENS} are supported`);
    if (this.ownHistory.length < count) this.ownHistory = new Int32Array(count);
    const out = this.ownHistory;
    for (let k = 0; k < count; k++) {
      const id = list[from + k];
      if (typeof id !== 'number') throw new TypeError(`history[${from + k}] must be a number, got ${describe(id)}`);
      if (!Number.isInteger(id) || id < 0 || id >= n) {
        throw new RangeError(`history[${from + k}] is ${describe(id)}, not a token id in [0, ${n})`);
      }
      out[k] = id;
    }
    this.history = out;
    this.historyCount = count;
  }
}

/** Whether a bias object is the { ids, values } form: those two own enumerable names and no
 *  other (counted without Object.keys(), which would allocate on every call). */
function isArraysForm(v: object): boolean {
  let count = 0;
  for (const key in v) {
    if (!Object.prototype.propertyIsEnumerable.call(v, key)) continue;
    if (key !== 'ids' && key !== 'values') return false;
    count++;
  }
  return count === 2;
}

/** a itself, unless its buffer is detached (an array transferred to a worker reads as empty:
 *  silently no mask, bias or penalty). */
function attached<T extends ArrayBufferView>(name: string, a: T): T {
  if (isDetached(a)) throw new RangeError(`${name}'s buffer is detached (transferred?)`);
  return a;
}

function isMap(v: object): boolean {
  return v instanceof Map || Object.prototype.toString.call(v) === '[object Map]';
}

function biasId(id: unknown, n: number, what: string): number {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= n) {
    throw new RangeError(`${what} is not a token id in [0, ${n})`);
  }
  return id;
}

function biasValue(v: unknown, what: string): number {
  if (typeof v !== 'number') throw new TypeError(`${what} must be a number, got ${describe(v)}`);
  const f = Math.fround(v);
  // A finite value that rounds to ±Infinity in float32 would silently become a ban or an
  // invalid logit: only -Infinity itself bans.
  if (!(v < Infinity) || f === Infinity || (f === -Infinity && v !== -Infinity)) {
    throw new RangeError(`${what} is ${describe(v)}; a bias is a finite float32 or -Infinity (ban)`);
  }
  return f;
}

function number(name: string, v: unknown, lo: number, hi: number, hiIncluded: boolean): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, got ${describe(v)}`);
  if (!(v >= lo && (v < hi || (hiIncluded && v === hi))) || !(v < Infinity)) {
    throw new RangeError(
      `${name} must be a finite number ≥ ${lo}${name === 'temperature' ? ' (0 = greedy)' : ''}, got ${describe(v)}`,
    );
  }
  return v;
}

function finite(name: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, got ${describe(v)}`);
  if (!Number.isFinite(v) || Math.abs(v) > F32_MAX) {
    throw new RangeError(`${name} must be a finite number, got ${describe(v)}`);
  }
  return v;
}

function integer(name: string, v: unknown, lo: number, hi: number, allowed: string): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, got ${describe(v)}`);
  if (!(v >= lo && v <= hi) || (v !== Infinity && !Number.isInteger(v))) {
    throw new RangeError(`${name} must be an integer ${allowed}, got ${describe(v)}`);
  }
  return v;
}

function probability(name: string, v: unknown, zero: boolean, range: string): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, got ${describe(v)}`);
  if (!((zero ? v >= 0 : v > 0) && v <= 1)) throw new RangeError(`${name} must be in ${range}, got ${describe(v)}`);
  return v;
}

function dynamicOf(v: unknown): { min: number; max: number; exponent: number } {
  const o = ownOptions('dynamicTemperature', v, ['min', 'max', 'exponent'], {}, 'dynamicTemperature');
  if (o.min === undefined || o.max === undefined) {
    throw new TypeError('dynamicTemperature needs min and max (and optionally exponent)');
  }
  const min = number('dynamicTemperature.min', o.min, 0, Infinity, false);
  const max = number('dynamicTemperature.max', o.max, 0, Infinity, false);
  if (max < min) throw new RangeError(`dynamicTemperature.max (${max}) must be ≥ min (${min})`);
  const exponent = o.exponent === undefined ? 1 : number('dynamicTemperature.exponent', o.exponent, 0, Infinity, false);
  return { min, max, exponent };
}

/** The kernel form of a temperature: log2(e)/T as float32, clamped so that (x − max)·c stays
 *  meaningful: the largest float for a tiny T (a clean −Infinity below the maximum, 0 at it),
 *  the smallest positive float for a huge one (masked tokens stay at −Infinity, since
 *  −Infinity · 0 would be NaN), and 0 for greedy. */
export function cOf(temperature: number): number {
  if (temperature === 0) return 0;
  const c = Math.fround(Math.LOG2E / temperature);
  return c > F32_MAX ? F32_MAX : c === 0 ? 2 ** -149 : c;
}
