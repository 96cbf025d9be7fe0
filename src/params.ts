// Validation and defaults: the only place sampling options are parsed. Everything past this
// file receives plain, checked numbers in the float32 form the kernels use.
import { describe } from './describe.js';

/**
 * How to turn logits into a token. Applied in Hugging Face transformers' order:
 * temperature → top-k → top-p → min-p → renormalise → draw.
 */
export interface SamplingParams {
  /** Divides the logits: softmax(logits / temperature). 0 = greedy (argmax, lowest index on
   *  ties); 1 = the model's own distribution; larger flattens it. Default 1. */
  temperature?: number;
  /** Keep the tokens whose logit is ≥ the k-th largest (ties kept). 0 (default) or
   *  k ≥ vocabulary size = off. */
  topK?: number;
  /** Keep the smallest prefix, by probability descending then index ascending, whose mass
   *  is ≥ topP (at least one token). In (0, 1]; 1 (default) = off. */
  topP?: number;
  /** Keep the tokens with p ≥ minP · p_max. In [0, 1]; 0 (default) = off. */
  minP?: number;
}

/** Checked parameters, ready for a kernel. @internal */
export interface Resolved {
  /** log2(e) / temperature as float32 (the kernels exponentiate in base 2); 0 = greedy. */
  c: number;
  /** 0 = off. */
  topK: number;
  /** 1 = off. */
  topP: number;
  /** The smallest float32 ≥ minP (so that e ≥ it ⟺ e ≥ minP for a float32 e); 0 = off. */
  minP: number;
}

const KNOWN = new Set(['temperature', 'topK', 'topP', 'minP']);
const ALIASES: Record<string, string> = {
  top_k: 'topK',
  top_p: 'topP',
  min_p: 'minP',
  topk: 'topK',
  topp: 'topP',
  minp: 'minP',
  temp: 'temperature',
};
const F32_MAX = 3.4028234663852886e38;

const bits = new Uint32Array(1);
const float = new Float32Array(bits.buffer);

/** The smallest float32 ≥ v, for 0 ≤ v ≤ 1. */
function f32AtLeast(v: number): number {
  float[0] = v;
  if (float[0]! < v) bits[0] = bits[0]! + 1;
  return float[0]!;
}

export function newResolved(): Resolved {
  return { c: Math.fround(Math.LOG2E), topK: 0, topP: 1, minP: 0 };
}

/** Validates `params` and writes the kernel form into `out` (reused: no allocation). */
export function resolveParams(params: SamplingParams | undefined, out: Resolved): Resolved {
  if (params === undefined || params === null) {
    out.c = Math.fround(Math.LOG2E);
    out.topK = 0;
    out.topP = 1;
    out.minP = 0;
    return out;
  }
  if (typeof params !== 'object') {
    throw new TypeError(`params must be an object like { temperature, topK, topP, minP }, got ${describe(params)}`);
  }
  for (const key in params) {
    if (!KNOWN.has(key)) {
      const hint = ALIASES[key] ? ` (did you mean '${ALIASES[key]}'?)` : '';
      throw new TypeError(`unknown sampling option '${key}'${hint}; known: temperature, topK, topP, minP`);
    }
  }
  const { temperature = 1, topK = 0, topP = 1, minP = 0 } = params;

  if (typeof temperature !== 'number') {
    throw new TypeError(`temperature must be a number, got ${describe(temperature)}`);
  }
  if (!(temperature >= 0 && temperature < Infinity)) {
    throw new RangeError(`temperature must be a finite number ≥ 0 (0 = greedy), got ${describe(temperature)}`);
  }
  if (typeof topK !== 'number') throw new TypeError(`topK must be a number, got ${describe(topK)}`);
  if (!Number.isInteger(topK) || topK < 0) {
    throw new RangeError(`topK must be an integer ≥ 0 (0 = off), got ${describe(topK)}`);
  }
  if (typeof topP !== 'number') throw new TypeError(`topP must be a number, got ${describe(topP)}`);
  if (!(topP > 0 && topP <= 1)) throw new RangeError(`topP must be in (0, 1] (1 = off), got ${describe(topP)}`);
  if (typeof minP !== 'number') throw new TypeError(`minP must be a number, got ${describe(minP)}`);
  if (!(minP >= 0 && minP <= 1)) throw new RangeError(`minP must be in [0, 1] (0 = off), got ${describe(minP)}`);

  // A tiny temperature overflows log2(e)/T; the largest float keeps (x - max)·c a clean
  // -Infinity below the maximum and 0 at it. A huge one underflows; the smallest positive
  // float keeps masked tokens at -Infinity (-Infinity · 0 would be NaN) and 0 free to mean
  // greedy.
  const c = temperature === 0 ? 0 : Math.fround(Math.LOG2E / temperature);
  out.c = temperature === 0 ? 0 : c > F32_MAX ? F32_MAX : c === 0 ? 2 ** -149 : c;
  out.topK = topK > 0x7fffffff ? 0 : topK;
  out.topP = topP;
  out.minP = f32AtLeast(minP);
  return out;
}
