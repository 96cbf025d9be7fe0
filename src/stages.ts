// The chain's stages as the wrapper knows them: for each, its params, their defaults, ranges and
// messages, and its id in the kernels' ABI (assembly/abi.ts), whose slot it fills. The kernel
// side of a stage is assembly/stages/<name>.ts; the edits (mask, bias, penalties) are in
// edits.ts. One entry per stage: params.ts reads a call's params once, then asks each entry.
import {
  F_DYNAMIC,
  ST_ADAPTIVE_P,
  ST_EPSILON,
  ST_ETA,
  ST_MIN_KEEP,
  ST_MIN_P,
  ST_MIROSTAT,
  ST_P_LESS,
  ST_TEMPERATURE,
  ST_TOP_K,
  ST_TOP_N_SIGMA,
  ST_TOP_P,
  ST_TYPICAL_P,
  ST_XTC,
} from '../assembly/abi.js';
import { finite, inRange, integer, nonNegative, probability } from './checks.js';
import { describe, ownNested } from './describe.js';
import {
  ADAPTIVE_P,
  type AdaptivePState,
  MIROSTAT,
  type MirostatState,
  readState,
  type StateKind,
  unwriteState,
  writeState,
} from './states.js';

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
  /** ε-sampling (HF `epsilon_cutoff`): keep the tokens with p ≥ epsilonCutoff of the
   *  distribution it receives (the most likely one if none). In [0, 1); 0 (default) = off. */
  epsilonCutoff?: number;
  /** η-sampling (HF `eta_cutoff`): keep the tokens with p ≥ min(ε, √ε·e^−H), ε = etaCutoff and
   *  H the entropy (nats) of the distribution it receives. In [0, 1); 0 (default) = off. */
  etaCutoff?: number;
  /** p-less sampling: keep the tokens with p ≥ Σp² − 1e-5 (the collision probability) of the
   *  distribution it receives. Default false. */
  pLess?: boolean;
  /** XTC (llama.cpp): with chance `probability`, remove every token with p ≥ `threshold`
   *  except the least likely of them — when at least two reach it and minKeep tokens remain.
   *  A draw then takes two values of the stream (the coin first); probs() is the mixture of
   *  both outcomes. */
  xtc?: Xtc;
  /** No truncation stage keeps fewer than minKeep of the tokens it receives (llama.cpp
   *  `min_keep`, HF `min_tokens_to_keep`). An integer ≥ 0; 0 (default) and 1 both mean one:
   *  every stage keeps at least its most likely token. */
  minKeep?: number;
  /** Mirostat (llama.cpp `--mirostat 1|2`): a state from createMirostat(), one per sequence. As
   *  in llama.cpp the chain is then edits → temperature → mirostat, with no other truncation.
   *  Version 2 keeps the tokens with −log2 p ≤ mu (at least the top one); version 1 the top k,
   *  k = ⌊(ε̂·2^mu / (1 − V^−ε̂))^(1/ŝ)⌋ ≥ 1 with ŝ = ε̂ + 1 fitted to the top m probabilities
   *  and V the vocabulary size. Then it renormalises and draws; sample() and sampleDetailed()
   *  set mu −= eta·(−log2 p(token) − tau), p the renormalised probability (greedy: p = 1). */
  mirostat?: MirostatState;
  /** adaptive-p (llama.cpp PR #17927, `--adaptive-target`): a state from createAdaptiveP(), one
   *  per sequence; it runs last, after every stage of `order`. With p each kept token's
   *  probability and a = clamp(2·target − weightedSum/totalWeight, 0, 1), the token is drawn
   *  from softmax(5 − 10·d²/(1 + d)), d = |p − a|/0.3; sample() and sampleDetailed() then set
   *  weightedSum ← p(token) + decay·weightedSum and totalWeight ← 1 + decay·totalWeight. */
  adaptiveP?: AdaptivePState;
}

/** XTC's params: both required. */
export interface Xtc {
  /** The chance that XTC applies to a call, in [0, 1]; 0 = off. */
  probability: number;
  /** The probability a token needs to count as a top choice, in (0, 1]; above 0.5 = off (no
   *  two tokens can reach it). */
  threshold: number;
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
  /** With `coin`: the chance the coin applies the stage, which probs() weighs its two
   *  outcomes with. */
  chance: number;
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
  /** Undoes afterDraw(): the state as the call read it (a later write of the call failed). */
  undoDraw?(o: Record<string, unknown>): void;
  /** A terminal stage (TERMINALS) that takes no truncation before it: only the temperature. */
  readonly alone?: boolean;
}

const DYNAMIC_KEYS = ['min', 'max', 'exponent'];

const temperature: Stage<'temperature'> = {
  name: 'temperature',
  id: ST_TEMPERATURE,
  keys: ['temperature', 'dynamicTemperature'],
  aliases: { temp: 'temperature', dynatemp: 'dynamicTemperature' },
  read(o) {
    if (o.dynamicTemperature !== undefined) ownNested(o, 'dynamicTemperature', '#dynamicTemperature', DYNAMIC_KEYS);
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

/**
 * A terminal stage whose param is a state object the caller owns (states.ts): its fields are
 * read once, with every other param, into a record of their own kept in the call's record
 * (reused from call to call); resolve() checks them into the slot; after a draw the slot's
 * new state is written back into the caller's object.
 */
function stateful<Name extends string>(
  name: Name,
  id: number,
  kind: StateKind,
  aliases: Readonly<Record<string, string>>,
  alone = false,
): Stage<Name> {
  const fieldsKey = `#${name}`;
  return {
    name,
    id,
    keys: [name],
    aliases,
    alone,
    read(o) {
      if (o[name] === undefined) return;
      let f = o[fieldsKey] as Record<string, unknown> | undefined;
      if (f === undefined) {
        f = Object.create(null) as Record<string, unknown>;
        o[fieldsKey] = f;
      }
      readState(name, o[name], kind, f);
    },
    resolve(o, slot) {
      if (o[name] === undefined) return false;
      kind.check(o[fieldsKey] as Record<string, unknown>, slot);
      return true;
    },
    afterDraw(o, slot) {
      writeState(name, o[name], kind, o[fieldsKey], slot);
    },
    undoDraw(o) {
      unwriteState(o[name], kind, o[fieldsKey]);
    },
  };
}

/** ε or η: one cutoff in [0, 1), 0 = off, spelt `<name>_cutoff` (or `<name>`) elsewhere. */
function cutoff<Name extends 'epsilon' | 'eta'>(name: Name, id: number): Stage<Name> {
  const key = `${name}Cutoff`;
  return {
    name,
    id,
    keys: [key],
    aliases: { [`${name}_cutoff`]: key, [name]: key },
    resolve(o, slot) {
      if (o[key] === undefined) return false;
      slot[0] = inRange(key, o[key], 0, 1, 'in [0, 1) (0 = off)', false);
      return slot[0] > 0;
    },
  };
}

const epsilon = cutoff('epsilon', ST_EPSILON);
const eta = cutoff('eta', ST_ETA);

const pLess: Stage<'pLess'> = {
  name: 'pLess',
  id: ST_P_LESS,
  keys: ['pLess'],
  aliases: { p_less: 'pLess' },
  resolve(o) {
    if (o.pLess === undefined) return false;
    if (typeof o.pLess !== 'boolean') throw new TypeError(`pLess must be true or false, got ${describe(o.pLess)}`);
    return o.pLess;
  },
};

const XTC_KEYS = ['probability', 'threshold'];
const XTC_ALIASES = { xtc_probability: 'probability', xtc_threshold: 'threshold', p: 'probability', t: 'threshold' };

const xtc: Stage<'xtc'> = {
  name: 'xtc',
  id: ST_XTC,
  keys: ['xtc'],
  aliases: { xtc_probability: 'xtc', xtc_threshold: 'xtc' },
  read(o) {
    if (o.xtc !== undefined) ownNested(o, 'xtc', '#xtc', XTC_KEYS, XTC_ALIASES);
  },
  resolve(o, slot, ctx) {
    const x = o.xtc as Record<string, unknown> | undefined;
    if (x === undefined) return false;
    if (x.probability === undefined || x.threshold === undefined) {
      throw new TypeError('xtc needs both probability and threshold, like { probability: 0.5, threshold: 0.1 }');
    }
    slot[0] = probability('xtc.probability', x.probability, true, '[0, 1] (0 = off)');
    slot[1] = probability('xtc.threshold', x.threshold, false, '(0, 1] (above 0.5 = off)');
    // Above 0.5 no two tokens can reach the threshold: off, and no coin is flipped.
    if (!(slot[0] > 0 && slot[1] <= 0.5)) return false;
    ctx.coin = true;
    ctx.chance = slot[0];
    return true;
  },
};

// Other APIs' names for the whole state: a { mirostat_tau } or { adaptive_target } param.
const mirostat = stateful(
  'mirostat',
  ST_MIROSTAT,
  MIROSTAT,
  { mirostat_tau: 'mirostat', mirostat_eta: 'mirostat' },
  true,
);
const adaptiveP = stateful('adaptiveP', ST_ADAPTIVE_P, ADAPTIVE_P, {
  adaptive_p: 'adaptiveP',
  adaptive_target: 'adaptiveP',
});

/** The terminal stages: each picks the token itself, so at most one runs, and it runs last,
 *  after every stage of the order — `order` never names them (llama.cpp moves adaptive-p to the
 *  end of its chain wherever it is listed, and builds mirostat's chain itself). */
export const TERMINALS = [mirostat, adaptiveP] as const;

/** Every stage `order` can arrange. */
export const STAGES = [temperature, topNSigma, topK, topP, minP, typicalP, epsilon, eta, pLess, xtc] as const;

/** The stages `order` can arrange. */
export type StageName = (typeof STAGES)[number]['name'];

/** The chain orders by name: Hugging Face's generate() applies temperature first; llama.cpp's
 *  default sampler chain applies it last, so its truncations see the T = 1 distribution. */
export const ORDERS: Readonly<Record<'hf' | 'llama.cpp', readonly StageName[]>> = {
  hf: ['temperature', 'topNSigma', 'topK', 'topP', 'minP', 'typicalP', 'epsilon', 'eta', 'pLess', 'xtc'],
  'llama.cpp': ['topNSigma', 'topK', 'typicalP', 'topP', 'minP', 'epsilon', 'eta', 'pLess', 'xtc', 'temperature'],
};

/** A setting of the whole chain rather than a stage of it: its slot is written on every call,
 *  whatever the order. @internal */
export type Setting = Omit<Stage, 'afterDraw'>;

const minKeep: Setting = {
  name: 'minKeep',
  id: ST_MIN_KEEP,
  keys: ['minKeep'],
  aliases: { min_keep: 'minKeep', min_tokens_to_keep: 'minKeep', minTokensToKeep: 'minKeep' },
  resolve(o, slot) {
    slot[0] = o.minKeep === undefined ? 0 : integer('minKeep', o.minKeep, 0, Number.MAX_SAFE_INTEGER, '≥ 0');
    return true;
  },
};

/** Every setting of the chain. */
export const SETTINGS: readonly Setting[] = [minKeep];
