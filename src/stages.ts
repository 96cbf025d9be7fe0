// The chain's stages as the wrapper knows them: for each, its params, their defaults, ranges and
// messages, and its id in the kernels' ABI (assembly/abi.ts), whose slot it fills. The kernel
// side of a stage is assembly/stages/<name>.ts; the edits (mask, bias, penalties) are in
// edits.ts. One entry per stage: params.ts reads a call's params once, then asks each entry.
import {
  F_DYNAMIC,
  ST_MIN_P,
  ST_TEMPERATURE,
  ST_TOP_K,
  ST_TOP_N_SIGMA,
  ST_TOP_P,
  ST_TYPICAL_P,
} from '../assembly/abi.js';
import { finite, integer, nonNegative, probability } from './checks.js';
import { ownOptions } from './describe.js';

/** The params of the stages `order` arranges (part of {@link SamplingParams}). */
export interface StageParams {
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
  /** top-nσ: keep the tokens whose logit is ≥ max − topNSigma·σ, σ the standard deviation of
   *  the finite logits it receives (the same cut at any temperature). ≤ 0 (default) = off. */
  topNSigma?: number;
}

/** Entropy-based temperature: T = min + (max − min)·(H / ln V′)^exponent, with H the entropy
 *  (nats) at temperature 1 of the distribution the temperature stage receives and V′ its tokens
 *  — llama.cpp's `dynatemp` with min = temp − range and max = temp + range. */
export interface DynamicTemperature {
  min: number;
  max: number;
  /** Default 1. */
  exponent?: number;
}

/** What a stage's check sees besides its own params. @internal */
export interface StageContext {
  /** The vocabulary size. */
  readonly n: number;
  /** The call's kernel flags (abi.ts F_*), which a stage may add to. */
  flags: number;
  /** Set by a stage that flips a coin: a draw then takes two values of the stream, the coin
   *  (P_COIN) first. */
  coin: boolean;
}

/** @internal */
export interface Stage<Name extends string = string> {
  readonly name: Name;
  /** Its id, hence its slot, in the kernels' ABI. */
  readonly id: number;
  /** The SamplingParams keys it reads. */
  readonly keys: readonly string[];
  /** Other APIs' spellings of its keys, for "did you mean" suggestions. */
  readonly aliases: Readonly<Record<string, string>>;
  /** Copies what the caller's nested objects hold into the record (their getters run here, with
   *  the other params', before any array is checked). */
  read?(o: Record<string, unknown>): void;
  /** Checks its params in the record and writes its slot; false when the stage is off. */
  resolve(o: Record<string, unknown>, slot: Float64Array, ctx: StageContext): boolean;
  /** A stateful stage: after a draw, its slot as the kernels left it, to write back into the
   *  state object the caller owns (from the record). */
  afterDraw?(o: Record<string, unknown>, slot: Float64Array): void;
}

const DYNAMIC_KEYS = ['min', 'max', 'exponent'];

const temperature: Stage<'temperature'> = {
  name: 'temperature',
  id: ST_TEMPERATURE,
  keys: ['temperature', 'dynamicTemperature'],
  aliases: { temp: 'temperature', dynatemp: 'dynamicTemperature' },
  read(o) {
    if (o.dynamicTemperature !== undefined) {
      o.dynamicTemperature = ownOptions(
        'dynamicTemperature',
        o.dynamicTemperature,
        DYNAMIC_KEYS,
        {},
        'dynamicTemperature',
      );
    }
  },
  resolve(o, slot, ctx) {
    const dynamic = o.dynamicTemperature as Record<string, unknown> | undefined;
    if (o.temperature !== undefined && dynamic !== undefined) {
      throw new TypeError('give temperature or dynamicTemperature, not both');
    }
    slot[0] = o.temperature === undefined ? 1 : nonNegative('temperature', o.temperature, ' (0 = greedy)');
    if (dynamic === undefined) return true;
    if (dynamic.min === undefined || dynamic.max === undefined) {
      throw new TypeError('dynamicTemperature needs min and max (and optionally exponent)');
    }
    const min = nonNegative('dynamicTemperature.min', dynamic.min);
    const max = nonNegative('dynamicTemperature.max', dynamic.max);
    if (max < min) throw new RangeError(`dynamicTemperature.max (${max}) must be ≥ min (${min})`);
    slot[1] = min;
    slot[2] = max;
    slot[3] = dynamic.exponent === undefined ? 1 : nonNegative('dynamicTemperature.exponent', dynamic.exponent);
    ctx.flags |= F_DYNAMIC;
    return true;
  },
};

const topK: Stage<'topK'> = {
  name: 'topK',
  id: ST_TOP_K,
  keys: ['topK'],
  aliases: { top_k: 'topK' },
  resolve(o, slot, ctx) {
    if (o.topK === undefined) return false;
    const k = integer('topK', o.topK, 0, Number.MAX_SAFE_INTEGER, '≥ 0 (0 = off)');
    slot[0] = k;
    return k > 0 && k < ctx.n;
  },
};

const topP: Stage<'topP'> = {
  name: 'topP',
  id: ST_TOP_P,
  keys: ['topP'],
  aliases: { top_p: 'topP' },
  resolve(o, slot) {
    if (o.topP === undefined) return false;
    slot[0] = probability('topP', o.topP, false, '(0, 1] (1 = off)');
    return slot[0] < 1;
  },
};

const minP: Stage<'minP'> = {
  name: 'minP',
  id: ST_MIN_P,
  keys: ['minP'],
  aliases: { min_p: 'minP' },
  resolve(o, slot) {
    if (o.minP === undefined) return false;
    slot[0] = probability('minP', o.minP, true, '[0, 1] (0 = off)');
    return slot[0] > 0;
  },
};

const typicalP: Stage<'typicalP'> = {
  name: 'typicalP',
  id: ST_TYPICAL_P,
  keys: ['typicalP'],
  aliases: { typical_p: 'typicalP', typical: 'typicalP' },
  resolve(o, slot) {
    if (o.typicalP === undefined) return false;
    slot[0] = probability('typicalP', o.typicalP, false, '(0, 1] (1 = off)');
    return slot[0] < 1;
  },
};

const topNSigma: Stage<'topNSigma'> = {
  name: 'topNSigma',
  id: ST_TOP_N_SIGMA,
  keys: ['topNSigma'],
  aliases: { top_n_sigma: 'topNSigma', nSigma: 'topNSigma' },
  resolve(o, slot) {
    if (o.topNSigma === undefined) return false;
    slot[0] = finite('topNSigma', o.topNSigma);
    return slot[0] > 0;
  },
};

/** Every stage `order` can arrange. */
export const STAGES = [temperature, topNSigma, topK, topP, minP, typicalP] as const;

/** The stages `order` can arrange. */
export type StageName = (typeof STAGES)[number]['name'];

/** The chain orders by name: Hugging Face's generate() applies temperature first; llama.cpp's
 *  default sampler chain applies it last, so its truncations see the T = 1 distribution. */
export const ORDERS: Readonly<Record<'hf' | 'llama.cpp', readonly StageName[]>> = {
  hf: ['temperature', 'topNSigma', 'topK', 'topP', 'minP', 'typicalP'],
  'llama.cpp': ['topNSigma', 'topK', 'typicalP', 'topP', 'minP', 'temperature'],
};
