// The public Sampler: checks inputs at the edge, draws u from the seeded stream, and hands
// plain numbers to a backend.
import type { Backend, BackendName } from './backend/types.js';
import { describe } from './describe.js';
import { newResolved, resolveParams, type SamplingParams } from './params.js';
import { seedToBigInt, Xoshiro128, type Seed } from './rng.js';

/** Logits for one step: one float per vocabulary entry. -Infinity masks a token. A
 *  Float32Array is read directly; a Float64Array or number[] is converted (one copy). */
export type Logits = Float32Array | Float64Array | readonly number[];

export class Sampler {
  /** The backend actually in use. */
  readonly backend: BackendName;
  private readonly impl: Backend;
  private readonly rng: Xoshiro128;
  private readonly params = newResolved();

  /** @internal use createSampler() / createSamplerSync(). */
  constructor(impl: Backend, seed: bigint) {
    this.impl = impl;
    this.backend = impl.name;
    this.rng = new Xoshiro128(seed);
  }

  /** Bytes of memory held for logits and scratch (WASM linear memory, or JS typed arrays). */
  get memoryBytes(): number {
    return this.impl.memoryBytes;
  }

  /**
   * Draws the next token index. Consumes exactly one value of the seeded stream, greedy
   * included, so a sequence of calls replays exactly from its seed. Never modifies `logits`.
   */
  sample(logits: Logits, params?: SamplingParams): number {
    const p = resolveParams(params, this.params);
    const x = this.load(logits);
    this.rng.mark();
    const token = this.impl.sample(x.length, p.c, p.topK, p.topP, p.minP, this.rng.nextUnit());
    if (token < 0) {
      this.rng.rewind();
      throw badLogits(x, this.impl.max(x.length));
    }
    return token;
  }

  /**
   * The distribution sample() draws from for these logits and params: renormalised over the
   * kept tokens, exactly 0 elsewhere (one-hot at the argmax for temperature 0). Consumes no
   * random number. Writes into `out` (length n) when given.
   */
  probs(logits: Logits, params?: SamplingParams, out?: Float32Array): Float32Array {
    const p = resolveParams(params, this.params);
    const n = logits?.length;
    if (out !== undefined) {
      if (!(out instanceof Float32Array)) throw new TypeError(`out must be a Float32Array, got ${describe(out)}`);
      if (typeof n === 'number' && out.length !== n) {
        throw new RangeError(`out must have the logits' length ${n}, got length ${out.length}`);
      }
    }
    const x = this.load(logits);
    const dst = out ?? new Float32Array(x.length);
    if (!this.impl.probs(x.length, p.c, p.topK, p.topP, p.minP, dst)) {
      throw badLogits(x, this.impl.max(x.length));
    }
    return dst;
  }

  /**
   * A Float32Array of length n inside the sampler's memory: write logits here and pass it
   * to sample()/probs() to skip the copy. A later call with a larger n (or logits longer
   * than any before) may grow memory, which detaches earlier views: call logitsView() again.
   */
  logitsView(n: number): Float32Array {
    if (typeof n !== 'number') throw new TypeError(`n must be a number, got ${describe(n)}`);
    if (!Number.isInteger(n) || n < 1 || n > 0x3fffffff) {
      throw new RangeError(`n must be an integer in [1, 2^30 - 1], got ${describe(n)}`);
    }
    return this.impl.view(n);
  }

  /** Restarts the random stream from `seed` (integer number or bigint, taken mod 2^64). */
  reseed(seed: Seed): void {
    this.rng.reseed(seedToBigInt(seed));
  }

  /** Checks the type of logits and makes them the backend's input (float32). */
  private load(logits: Logits): Float32Array {
    let x: Float32Array;
    if (logits instanceof Float32Array) {
      if (logits.length === 0) {
        if (this.impl.isDetached(logits)) {
          throw new RangeError(
            'logits is a logitsView() detached by a memory growth (a larger vocabulary was seen since); call logitsView() again',
          );
        }
        throw new RangeError('logits is empty: need one logit per vocabulary entry');
      }
      x = logits;
    } else if (logits instanceof Float64Array || Array.isArray(logits)) {
      x = this.convert(logits);
    } else {
      throw new TypeError(`logits must be a Float32Array, Float64Array or number[], got ${describe(logits)}`);
    }
    this.impl.load(x);
    return x;
  }

  private convert(src: Float64Array | readonly number[]): Float32Array {
    const n = src.length;
    if (n === 0) throw new RangeError('logits is empty: need one logit per vocabulary entry');
    if (n > 0x3fffffff) throw new RangeError(`logits has ${n} entries; at most 2^30 - 1 are supported`);
    const x = this.impl.view(n);
    for (let i = 0; i < n; i++) {
      const v = src[i];
      if (typeof v !== 'number') throw new TypeError(`logits[${i}] must be a number, got ${describe(v)}`);
      x[i] = v;
      const f = x[i]!;
      if ((f === Infinity || f === -Infinity) && v !== f) {
        throw new RangeError(`logits[${i}] is ${v}, outside the float32 range (±3.4e38)`);
      }
    }
    return x;
  }
}

function badLogits(x: Float32Array, m: number): RangeError {
  if (m === -Infinity) {
    return new RangeError(`every logit is -Infinity (masked), so no token can be drawn (length ${x.length})`);
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v !== v || v === Infinity) {
      return new RangeError(`logits[${i}] is ${v}; logits must be finite numbers or -Infinity (masked)`);
    }
  }
  return new RangeError(`logits are invalid (maximum ${m})`);
}
