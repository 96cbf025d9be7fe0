// The float64 reference the kernels are tested against: the whole pipeline written the obvious
// way — full sorts, Math.exp and Math.log in double precision, one array per stage — from the
// documented semantics, with no code or constants shared with src/ or assembly/.
//
// Order: input (probabilities → ln p, normalised) → allowed mask → logit bias → sequence bias →
// penalties → DRY → bans (bad words, no-repeat n-grams), then the stages in `order`: by default
// Hugging Face's, temperature (fixed or dynamic) → top-nσ → top-k → top-p → min-p →
// typical-p; llama.cpp's puts temperature last (the truncations before it see T = 1). Then
// renormalise. The chain issue's stages, minKeep and the orders other than Hugging Face's go
// through chain-reference.ts, which calls this one stage at a time.

import { type ChainParams, chainReference, isOn, needsChain, ORDERS, type StageName } from './chain-reference.js';

export { ORDERS, type StageName };

/** The sampling parameters, as the public API takes them (re-declared: nothing from src/). */
export interface Params extends ChainParams {
  temperature?: number;
  dynamicTemperature?: { min: number; max: number; exponent?: number };
  topK?: number;
  topP?: number;
  minP?: number;
  typicalP?: number;
  topNSigma?: number;
  logitBias?:
    | ReadonlyMap<number, number>
    | Readonly<Record<number, number>>
    | { ids: Int32Array; values: Float32Array };
  allowed?: Uint32Array;
  history?: Int32Array | readonly number[];
  penaltyLastN?: number;
  repetitionPenalty?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  input?: 'logits' | 'probs';
  sequenceBias?: readonly (readonly [Tokens, number])[];
  dry?: {
    multiplier: number;
    base?: number;
    allowedLength?: number;
    lastN?: number;
    sequenceBreakers?: readonly Tokens[];
  };
  noRepeatNgramSize?: number;
  badWords?: readonly Tokens[];
}

/** A token sequence, as the public API takes one. */
type Tokens = readonly number[] | Int32Array;

export interface Reference {
  /** Probability of every token in the distribution drawn from. */
  p: Float64Array;
  /** exp((x − top)/T) of every processed logit, at the final temperature (1 at the top): what
   *  a kernel's flush-to-zero of tiny weights is measured against. `top` is the largest logit,
   *  or, once a stage on the logits (temperature, top-k) follows a cut on the masses (top-p,
   *  typical-p), the largest the kept set holds then: the kernels list the kept set afresh and
   *  measure from its maximum. One-hot when greedy. */
  w: Float64Array;
  /** The processed logits: ln p for probability input, then mask, bias and penalties. */
  x: Float64Array;
  /** The temperature used (the one dynamic temperature chose); 0 = greedy. */
  temperature: number;
  /** Entropy of `p`, nats. */
  entropy: number;
  /** What the temperature stage received: the entropy (nats) at T = 1 of the tokens still kept
   *  there, renormalised, and how many they are (V′) — what dynamic temperature reads. */
  received: { entropy: number; count: number };
  /** True when a float32 implementation could legitimately decide a boundary differently: a
   *  cumulative mass or a min-p ratio within `slack` (plus the rounding the edits allow) of
   *  its threshold, or two tokens that near-tie across a cut or for greedy's argmax. */
  ambiguous: boolean;
  /** Which boundaries were close, for messages. */
  why: string[];
  /** A bound on |float32 processed logit − x| over all tokens: the rounding that converting
   *  the input to float32, ln of a probability in float32, and float32 bias and penalty edits
   *  may add (0 for float32 logits without edits). */
  logitError: number;
}

export interface Options {
  /** Relative distance from a mass or ratio threshold below which a decision is ambiguous. */
  slack?: number;
  /** A bound on the relative error of the temperature an implementation of dynamic
   *  temperature may choose (it comes from a float32 entropy); widens the boundaries. */
  temperatureError?: number;
}

const ULP = 2 ** -24;
/** Weights exp(−37) = 2^−53 and below are below every kernel's resolution. */
const RESOLVED_NATS = 53 * Math.LN2;

/** The stages in the order `order` names (the params checked by the sampler, not here). */
export function stageOrder(order: Params['order']): readonly StageName[] {
  if (order === undefined || order === 'hf') return ORDERS.hf;
  if (order === 'llama.cpp') return ORDERS['llama.cpp'];
  return order;
}

export function reference(logits: ArrayLike<number>, params: Params = {}, opts: number | Options = {}): Reference {
  // ε, η, p-less, XTC, minKeep and any order but Hugging Face's: chain-reference.ts, which
  // runs the stages below one at a time.
  if (needsChain(params)) return chainReference(logits, params, opts);
  const { slack = 1e-5, temperatureError = 0 } = typeof opts === 'number' ? { slack: opts } : opts;
  const n = logits.length;
  const why: string[] = [];
  const { x, err } = processed(logits, params);
  const order = stageOrder(params.order);

  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  if (m === -Infinity) throw new RangeError('reference: every token is masked');
  // Only tokens a kernel resolves matter: weights down to 2^-53 of the maximum's, at the
  // largest temperature any stage sees (1 for a stage before the temperature, and for the
  // entropy dynamic temperature reads; its own at most its max); for greedy alone, those that
  // could tie with the maximum.
  const before = order.indexOf('temperature');
  const cuts = order.slice(0, before).some((s) => isOn(s, params, n));
  const tMost = params.dynamicTemperature ? params.dynamicTemperature.max : (params.temperature ?? 1);
  const reach = (RESOLVED_NATS + 1) * Math.max(tMost, cuts || params.dynamicTemperature ? 1 : 0);
  let logitError = 0;
  for (let i = 0; i < n; i++)
    if (x[i]! > -Infinity && x[i]! >= m - reach - err[i]!) logitError = Math.max(logitError, err[i]!);

  let kept = Array.from(x, (v) => v > -Infinity);
  /** The temperature the stages see so far: 1 until the temperature stage. */
  let T = 1;
  let tempered = false;
  /** Where the weights are measured from (see Reference.w). */
  let top = m;
  let massCut = false;
  let received = { entropy: 0, count: 0 };
  const weights = () => x.map((v) => (v === -Infinity ? 0 : Math.exp((v - top) / T)));
  let w = weights();
  // How far a boundary may move: the slack, the edits' rounding and, once tempered, the
  // temperature's error (a logit 37 nats below the maximum is as far as any kernel resolves).
  const wobble = () => (2 * logitError) / T + (tempered ? 2 * RESOLVED_NATS * temperatureError : 0);
  const keptMax = () => x.reduce((a, v, i) => (kept[i] && v > a ? v : a), -Infinity);

  for (const stage of order) {
    if (stage === 'temperature') {
      if (massCut) top = keptMax();
      received = atOne(x, kept);
      T = params.dynamicTemperature
        ? dynamicTemperature(received, params.dynamicTemperature)
        : (params.temperature ?? 1);
      tempered = true;
      if (T === 0) return greedy(x, err, kept, why, logitError, received);
      w = weights();
      continue;
    }
    if (!isOn(stage, params, n)) continue;
    const massSlack = slack + 2 * wobble();

    if (stage === 'topNSigma') {
      // top-nσ on the processed logits of the kept tokens: max − n·σ, σ their population
      // standard deviation (the same at any T: a temperature scales max − x and σ alike)
      const nSigma = params.topNSigma!;
      const live = survivors(kept);
      const mk = keptMax();
      const mean = live.reduce((s, i) => s + x[i]!, 0) / live.length;
      const sd = Math.sqrt(live.reduce((s, i) => s + (x[i]! - mean) ** 2, 0) / live.length);
      const th = mk - nSigma * sd;
      for (const i of live) {
        if (x[i] !== mk && Math.abs(x[i]! - th) <= 1e-9 * (Math.abs(mk) + nSigma * sd) + 2 * logitError) {
          why.push(`top-nσ: token ${i} at the threshold`);
        }
      }
      kept = kept.map((on, i) => on && x[i]! >= th);
      if (massCut) {
        top = keptMax();
        w = weights();
      }
    } else if (stage === 'topK') {
      // top-k on the processed logits of the kept tokens, ties at the boundary kept
      const k = params.topK!;
      const sorted = x.filter((_, i) => kept[i]).sort((a, b) => b - a);
      if (sorted.length > k) {
        const th = sorted[k - 1]!;
        const next = sorted[k]!;
        if (next !== th && th - next <= 2 * logitError) why.push('top-k: near-tie at the k-th logit');
        kept = kept.map((on, i) => on && x[i]! >= th);
      }
      if (massCut) {
        top = keptMax();
        w = weights();
      }
    } else if (stage === 'topP') {
      // top-p on the renormalised survivors, order: probability desc, index asc
      massCut = true;
      const ids = survivors(kept).sort((a, b) => w[b]! - w[a]! || a - b);
      const keep = cut(
        ids,
        (i) => w[i]!,
        params.topP!,
        massSlack,
        (a, b) => x[a] !== x[b] && Math.abs(Math.log(w[a]!) - Math.log(w[b]!)) <= wobble() + 4 * ULP,
        'top-p',
        why,
      );
      kept = kept.map((_, i) => keep.has(i));
    } else if (stage === 'minP') {
      // min-p relative to the most likely survivor
      const minP = params.minP!;
      let wmax = 0;
      for (let i = 0; i < n; i++) if (kept[i] && w[i]! > wmax) wmax = w[i]!;
      kept = kept.map((on, i) => {
        if (!on) return false;
        const ratio = w[i]! / wmax;
        // A ratio of exactly 1 (the maximum, or a tie with it) is exact in float32 too.
        if (ratio !== 1 && Math.abs(ratio - minP) <= (slack + wobble()) * minP)
          why.push(`min-p: token ${i} ratio ${ratio}`);
        return ratio >= minP;
      });
    } else {
      // typical-p on the renormalised survivors: closest −ln q to their entropy first, ties by index
      massCut = true;
      const ids = survivors(kept);
      const z = ids.reduce((s, i) => s + w[i]!, 0);
      // (A weight that underflows to 0 adds 0·ln 0 = 0, and its key is +Infinity: never typical.)
      const H = ids.reduce((s, i) => (w[i]! > 0 ? s - (w[i]! / z) * Math.log(w[i]! / z) : s), 0);
      const center = ids.reduce((s, i) => (w[i]! > 0 ? s - (w[i]! / z) * Math.log(w[i]!) : s), 0);
      const key = new Float64Array(n);
      for (const i of ids) key[i] = Math.abs(-Math.log(w[i]! / z) - H);
      ids.sort((a, b) => key[a]! - key[b]! || a - b);
      const keep = cut(
        ids,
        (i) => w[i]!,
        params.typicalP!,
        massSlack,
        (a, b) =>
          // A kernel's key is |z − mean z| with z = (x − max)/T: its error scales with those
          // two, not with ln of the normaliser.
          x[a] !== x[b] && Math.abs(key[a]! - key[b]!) <= (slack + wobble()) * (Math.abs(Math.log(w[a]!)) + center),
        'typical-p',
        why,
      );
      kept = kept.map((_, i) => keep.has(i));
    }
  }

  const p = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) if (kept[i]) s += w[i]!;
  for (let i = 0; i < n; i++) p[i] = kept[i] ? w[i]! / s : 0;
  return { p, w, x, temperature: T, entropy: entropy(p), received, ambiguous: why.length > 0, why, logitError };
}

/** Temperature 0: the kept token with the largest logit, the lowest index on ties. */
function greedy(
  x: Float64Array,
  err: Float64Array,
  kept: boolean[],
  why: string[],
  logitError: number,
  received: Reference['received'],
): Reference {
  const n = x.length;
  let at = -1;
  for (let i = 0; i < n; i++) if (kept[i] && (at < 0 || x[i]! > x[at]!)) at = i;
  const p = new Float64Array(n);
  p[at] = 1;
  for (let i = 0; i < n; i++) {
    // Exact ties go to the lowest index; near ones float32 may tie or order either way.
    const gap = x[at]! - x[i]!;
    if (kept[i] && i !== at && gap <= err[at]! + err[i]! && (gap > 0 || err[at]! + err[i]! > 0)) {
      why.push(`greedy: tokens ${at} and ${i} near-tie`);
    }
  }
  return { p, w: p.slice(), x, temperature: 0, entropy: 0, received, ambiguous: why.length > 0, why, logitError };
}

/** The entropy at T = 1 of the kept tokens, renormalised, and how many they are. */
function atOne(x: Float64Array, kept: boolean[]): Reference['received'] {
  let m = -Infinity;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    if (!kept[i] || x[i] === -Infinity) continue;
    count++;
    if (x[i]! > m) m = x[i]!;
  }
  let z = 0;
  for (let i = 0; i < x.length; i++) if (kept[i] && x[i]! > -Infinity) z += Math.exp(x[i]! - m);
  let H = 0;
  for (let i = 0; i < x.length; i++) {
    if (kept[i] && x[i]! > -Infinity) H -= (Math.exp(x[i]! - m) / z) * (x[i]! - m - Math.log(z));
  }
  return { entropy: H, count };
}

/** Token ids still kept, ascending. */
function survivors(kept: boolean[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < kept.length; i++) if (kept[i]) out.push(i);
  return out;
}

/** The shortest prefix of `order` whose share of the mass reaches `target` (at least one
 *  token); notes when the decision sits within `slack` or between near-tied tokens. */
function cut(
  order: number[],
  mass: (i: number) => number,
  target: number,
  slack: number,
  nearTie: (a: number, b: number) => boolean,
  stage: string,
  why: string[],
): Set<number> {
  const total = order.reduce((s, i) => s + mass(i), 0);
  let acc = 0;
  let r = 0;
  for (; r < order.length; r++) {
    const before = acc;
    acc += mass(order[r]!) / total;
    // The last token completes the mass even when rounding leaves the sum a hair below 1.
    if (acc >= target || r === order.length - 1) {
      // (The first token is kept whatever the target: no boundary before it.)
      if (Math.abs(acc - target) <= slack || (r > 0 && Math.abs(before - target) <= slack)) {
        why.push(`${stage}: mass ${before} → ${acc} around ${target}`);
      }
      const next = order[r + 1];
      if (next !== undefined && nearTie(order[r]!, next)) why.push(`${stage}: tokens ${order[r]} and ${next} near-tie`);
      break;
    }
  }
  return new Set(order.slice(0, r + 1));
}

/** The logits after input conversion, mask, bias and penalties, and how far float32 may be
 *  from each of them. */
function processed(logits: ArrayLike<number>, params: Params): { x: Float64Array; err: Float64Array } {
  const n = logits.length;
  const x = new Float64Array(n);
  const err = new Float64Array(n);
  // Probabilities of any scale are normalised first: ln(p/Σp).
  let lnMass = 0;
  if (params.input === 'probs') {
    let mass = 0;
    for (let i = 0; i < n; i++) mass += Number(logits[i]);
    lnMass = mass > 0 ? Math.log(mass) : 0;
  }
  for (let i = 0; i < n; i++) {
    const v = Number(logits[i]);
    if (params.input === 'probs') {
      x[i] = Math.log(v);
      if (v > 0) err[i] = 4 * ULP * (Math.abs(x[i]!) + 1);
      x[i] = x[i]! - lnMass;
    } else {
      x[i] = v;
      if (Math.fround(v) !== v && Number.isFinite(v)) err[i] = ULP * Math.abs(v);
    }
  }
  const { allowed } = params;
  if (allowed) for (let i = 0; i < n; i++) if (((allowed[i >>> 5]! >>> (i & 31)) & 1) === 0) x[i] = -Infinity;

  const bias = params.logitBias;
  if (bias !== undefined) {
    for (const [id, b] of biasEntries(bias)) {
      const before = x[id]!;
      x[id] = before + b;
      err[id] = err[id]! + 2 * ULP * (Math.abs(x[id]!) + Math.abs(b));
      if (b !== -Infinity) float32Range(x, id, before);
    }
  }

  // sequence bias: the last token of each sequence whose other tokens end the history
  for (const [tokens, b] of params.sequenceBias ?? []) {
    if (!completes(params.history ?? [], tokens)) continue;
    const id = tokens[tokens.length - 1]!;
    const before = x[id]!;
    x[id] = before + b;
    err[id] = err[id]! + 2 * ULP * (Math.abs(x[id]!) + Math.abs(b));
    float32Range(x, id, before);
  }

  const { history = [], penaltyLastN = Infinity, repetitionPenalty: r = 1 } = params;
  const { presencePenalty: presence = 0, frequencyPenalty: frequency = 0 } = params;
  if (r !== 1 || presence !== 0 || frequency !== 0) {
    const window = Array.from(history).slice(Math.max(0, history.length - penaltyLastN));
    const counts = new Map<number, number>();
    for (const t of window) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [id, count] of counts) {
      const v = x[id]!;
      const scale = v > 0 ? 1 / r : r;
      x[id] = v * scale - count * frequency - presence;
      // float32: r, the presence and the frequency rounded, then v·scale, count·frequency,
      // their sum and the difference, each rounded once.
      err[id] =
        err[id]! * scale + 2 * ULP * (Math.abs(v * scale) + 2 * count * Math.abs(frequency) + 2 * Math.abs(presence));
      err[id] = err[id]! + ULP * Math.abs(x[id]!);
      float32Range(x, id, v);
    }
  }

  if (params.dry) dry(x, err, Array.from(history), params.dry);

  // bans: bad words, then n-grams
  for (const seq of params.badWords ?? []) {
    if (completes(history, seq)) x[seq[seq.length - 1]!] = -Infinity;
  }
  const size = params.noRepeatNgramSize;
  if (size !== undefined) {
    const h = Array.from(history);
    for (let j = 0; j + size <= h.length; j++) {
      // The n-gram h[j .. j + size) would repeat if the history's last size − 1 tokens are its first.
      let same = true;
      for (let k = 0; k < size - 1; k++) if (h[j + k] !== h[h.length - size + 1 + k]) same = false;
      if (same) x[h[j + size - 1]!] = -Infinity;
    }
  }
  return { x, err };
}

/** Whether the history ends with every token of `seq` but its last. */
function completes(history: ArrayLike<number>, seq: ArrayLike<number>): boolean {
  const h = Array.from(history),
    prefix = Array.from(seq).slice(0, -1);
  if (prefix.length > h.length) return false;
  return prefix.every((t, k) => h[h.length - prefix.length + k] === t);
}

/** DRY as defined (koboldcpp, llama.cpp), by brute force over the window: for each position j,
 *  the longest common suffix of the window up to j and the whole window, capped where the latest
 *  breaker ends; the token after j would extend it. */
function dry(x: Float64Array, err: Float64Array, history: number[], d: NonNullable<Params['dry']>): void {
  const { multiplier, base = 1.75, allowedLength = 2, lastN = -1, sequenceBreakers = [] } = d;
  if (multiplier === 0 || lastN === 0) return;
  const w = lastN < 0 ? history : history.slice(Math.max(0, history.length - lastN));
  const W = w.length;
  let end = -1;
  for (const b of sequenceBreakers) {
    const m = b.length;
    for (let e = m - 1; e < W; e++) {
      let found = true;
      for (let k = 0; k < m; k++) if (w[e - m + 1 + k] !== b[k]) found = false;
      if (found) end = Math.max(end, e);
    }
  }
  const limit = W - 1 - end;
  const single = new Set(sequenceBreakers.filter((b) => b.length === 1).map((b) => b[0]!));
  const longest = new Map<number, number>();
  for (let j = 0; j + 1 < W; j++) {
    let L = 0;
    while (L <= j && w[j - L] === w[W - 1 - L]) L++;
    L = Math.min(L, limit);
    const c = w[j + 1]!;
    if (L >= allowedLength && L > (longest.get(c) ?? 0)) longest.set(c, L);
  }
  const cap = Math.floor(88.7228391 / Math.log(base));
  for (const [c, L] of longest) {
    if (single.has(c)) continue;
    const penalty = multiplier * base ** Math.min(L - allowedLength, cap);
    const before = x[c]!;
    x[c] = before - penalty;
    // The kernels compute the penalty in float64 and round the difference once.
    err[c] = err[c]! + 2 * ULP * (Math.abs(x[c]!) + penalty);
    float32Range(x, c, before);
  }
}

/** The logits are float32 numbers: an edit (other than a -Infinity bias, a ban) that takes a
 *  finite one past the float32 range, either way, is an error. */
function float32Range(x: Float64Array, i: number, before: number): void {
  if (Math.abs(before) !== Infinity && Math.abs(Math.fround(x[i]!)) === Infinity) {
    throw new RangeError(`reference: logit ${i} = ${x[i]} is past the float32 range`);
  }
}

function biasEntries(bias: NonNullable<Params['logitBias']>): [number, number][] {
  if (bias instanceof Map) return Array.from(bias.entries());
  if ('ids' in bias && 'values' in bias && ArrayBuffer.isView(bias.ids)) {
    const { ids, values } = bias as { ids: Int32Array; values: Float32Array };
    return Array.from(ids, (id, k) => [id, values[k]!]);
  }
  return Object.entries(bias).map(([k, v]) => [Number(k), v as number]);
}

/** llama.cpp's dynatemp, as documented: T = min + (max − min)·(H/ln V′)^exponent, H the
 *  entropy at temperature 1 of what the temperature stage receives and V′ its token count. */
function dynamicTemperature(
  received: Reference['received'],
  d: { min: number; max: number; exponent?: number },
): number {
  if (received.count <= 1) return d.min;
  const normalized = Math.min(1, Math.max(0, received.entropy / Math.log(received.count)));
  return d.min + (d.max - d.min) * normalized ** (d.exponent ?? 1);
}

/** Entropy in nats of a distribution. */
export function entropy(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > 0) h -= p[i]! * Math.log(p[i]!);
  return h;
}

/** Entropy at temperature 1 of the processed logits (every unmasked token). */
export function processedEntropy(logits: ArrayLike<number>, params: Params): number {
  const { x } = processed(logits, params);
  return atOne(
    x,
    Array.from(x, (v) => v > -Infinity),
  ).entropy;
}

/** Log-probabilities: 'processed' = ln of the distribution drawn from (−Infinity where it is
 *  0); 'raw' = log-softmax of the untouched logits at temperature 1 (for probability input:
 *  ln of the probabilities normalised). */
export function logprobs(
  ref: Reference,
  logits: ArrayLike<number>,
  params: Params,
  mode: 'processed' | 'raw',
): Float64Array {
  if (mode === 'processed') return ref.p.map((v) => Math.log(v));
  const n = logits.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = params.input === 'probs' ? Math.log(Number(logits[i])) : Number(logits[i]);
  let m = -Infinity;
  for (const v of y) if (v > m) m = v;
  let z = 0;
  for (const v of y) if (v > -Infinity) z += Math.exp(v - m);
  const lz = m + Math.log(z);
  return y.map((v) => v - lz);
}

/** The `count` most likely tokens of a log-probability vector, by probability descending then
 *  index ascending; tokens of probability 0 are never listed. */
export function topLogprobs(lp: ArrayLike<number>, count: number): { token: number; logprob: number }[] {
  const ids: number[] = [];
  for (let i = 0; i < lp.length; i++) if (lp[i]! > -Infinity) ids.push(i);
  ids.sort((a, b) => lp[b]! - lp[a]! || a - b);
  return ids.slice(0, count).map((token) => ({ token, logprob: lp[token]! }));
}

/** softmax(x / T) in float64 (−Infinity → 0): the worked examples' arithmetic. */
export function softmax(x: readonly number[], T = 1): number[] {
  const m = Math.max(...x);
  const e = x.map((v) => (v === -Infinity ? 0 : Math.exp((v - m) / T)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
