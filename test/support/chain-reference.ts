// The float64 reference for any chain order and for the chain issue's stages — ε, η, p-less,
// XTC — and minKeep, written the obvious way from the documented semantics, with nothing shared
// with src/ or assembly/. Each of the first stages (reference.ts) runs alone on what the stages
// before it kept: the distribution a stage receives is the softmax, at the temperature so far,
// of the logits of the tokens still kept, every other one masked — so an order is nothing but
// the sequence of calls. The new stages act on those weights here. A stage that keeps fewer
// than max(minKeep, 1) of the tokens it received keeps instead the first that many in its own
// order. probs() with XTC is the mixture of its two outcomes by the coin's chance.
import { entropy, type Options, type Params, type Reference, reference } from './reference.js';

/** The stages `order` arranges (re-declared: nothing from src/). */
export type StageName =
  | 'temperature'
  | 'topNSigma'
  | 'topK'
  | 'topP'
  | 'minP'
  | 'typicalP'
  | 'epsilon'
  | 'eta'
  | 'pLess'
  | 'xtc';

/** The named orders, as the README states them. */
export const ORDERS: Readonly<Record<'hf' | 'llama.cpp', readonly StageName[]>> = {
  hf: ['temperature', 'topNSigma', 'topK', 'topP', 'minP', 'typicalP', 'epsilon', 'eta', 'pLess', 'xtc'],
  'llama.cpp': ['topNSigma', 'topK', 'typicalP', 'topP', 'minP', 'epsilon', 'eta', 'pLess', 'xtc', 'temperature'],
};

/** The chain issue's params and the order (reference.ts's Params carries them). */
export interface ChainParams {
  epsilonCutoff?: number;
  etaCutoff?: number;
  pLess?: boolean;
  xtc?: { probability: number; threshold: number };
  minKeep?: number;
  order?: 'hf' | 'llama.cpp' | readonly StageName[];
}

/** Whether reference() needs this file: a stage it does not know, minKeep, or an order other
 *  than Hugging Face's. */
export function needsChain(params: Params): boolean {
  const p = params as ChainParams;
  return (
    (p.order !== undefined && p.order !== 'hf') ||
    p.epsilonCutoff !== undefined ||
    p.etaCutoff !== undefined ||
    p.pLess !== undefined ||
    p.xtc !== undefined ||
    p.minKeep !== undefined
  );
}

/** XTC does something: a chance above 0 and a threshold two tokens can reach. */
function xtcOn(x: ChainParams['xtc']): x is { probability: number; threshold: number } {
  return x !== undefined && x.probability > 0 && x.threshold <= 0.5;
}

const EDITS = ['input', 'allowed', 'logitBias', 'history', 'penaltyLastN'] as const;
const PENALTIES = ['repetitionPenalty', 'presencePenalty', 'frequencyPenalty'] as const;

export function chainReference(logits: ArrayLike<number>, params: Params, opts: number | Options = {}): Reference {
  const { slack = 1e-5 } = typeof opts === 'number' ? { slack: opts } : opts;
  const c = params as Params & ChainParams;
  if (xtcOn(c.xtc) && c.xtc.probability < 1) {
    // A draw applies XTC with chance `probability`: the token follows the mixture.
    const on = chainReference(logits, { ...c, xtc: { ...c.xtc, probability: 1 } } as Params, opts);
    const off = chainReference(logits, { ...c, xtc: undefined } as Params, opts);
    const w = c.xtc.probability;
    const p = on.p.map((v, i) => w * v + (1 - w) * off.p[i]!);
    return { ...off, p, entropy: entropy(p), ambiguous: on.ambiguous || off.ambiguous, why: [...on.why, ...off.why] };
  }
  // The edits once: the processed logits, at temperature 1 with nothing else.
  const edits: Params = {};
  for (const k of [...EDITS, ...PENALTIES]) if (c[k] !== undefined) (edits as Record<string, unknown>)[k] = c[k];
  const base = reference(logits, edits, { slack });
  const x = base.x;
  const n = x.length;
  const why: string[] = [];
  const least = Math.max(c.minKeep ?? 0, 1);
  let kept = Array.from(x, (v) => v > -Infinity);
  let T = 1;
  let cut = false; // a stage cut before the temperature: the weights are measured from the kept maximum
  let atTemperature = base.received; // what the temperature stage receives (Reference.received)
  const order =
    c.order === undefined || c.order === 'hf' ? ORDERS.hf : c.order === 'llama.cpp' ? ORDERS['llama.cpp'] : c.order;
  for (const stage of order) {
    if (stage === 'temperature') {
      const at = reference(masked(x, kept), c.dynamicTemperature ? { dynamicTemperature: c.dynamicTemperature } : {});
      atTemperature = at.received;
      T = c.dynamicTemperature ? at.temperature : (c.temperature ?? 1);
      if (T === 0) return greedy(x, kept, base, why);
      continue;
    }
    if (!isOn(stage, c, n)) continue;
    const receivedKept = kept;
    let next: boolean[];
    if (stage === 'topNSigma' || stage === 'topK' || stage === 'topP' || stage === 'minP' || stage === 'typicalP') {
      // top-k and top-nσ cut on the logits, the same at any temperature: measured at the largest,
      // so that no kept token's weight underflows to a p of 0 (a later temperature may need it).
      const at = stage === 'topK' || stage === 'topNSigma' ? Number.MAX_VALUE : T;
      const r = reference(masked(x, kept), { [stage]: c[stage], temperature: at } as Params, { slack });
      why.push(...r.why);
      next = Array.from(r.p, (v) => v > 0);
    } else next = newStage(stage, c, { x, kept, T, slack, why });
    if (count(next) < Math.min(least, count(receivedKept)))
      next = firstOf(stage, least, { x, kept: receivedKept, T, slack, why });
    kept = next;
    cut = true;
  }
  // The distribution drawn from: softmax at T of the kept logits.
  let top = -Infinity;
  for (let i = 0; i < n; i++) if ((cut ? kept[i] : x[i]! > -Infinity) && x[i]! > top) top = x[i]!;
  const w = x.map((v) => (v === -Infinity ? 0 : Math.exp((v - top) / T)));
  let s = 0;
  for (let i = 0; i < n; i++) if (kept[i]) s += w[i]!;
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = kept[i] ? w[i]! / s : 0;
  return {
    p,
    w,
    x,
    temperature: T,
    entropy: entropy(p),
    received: atTemperature,
    ambiguous: base.ambiguous || why.length > 0,
    why: [...base.why, ...why],
    logitError: base.logitError,
  };
}

/** Whether a stage does anything with these params (temperature: always). */
export function isOn(stage: StageName, c: Params & ChainParams, n: number): boolean {
  switch (stage) {
    case 'topNSigma':
      return (c.topNSigma ?? 0) > 0;
    case 'topK':
      return (c.topK ?? 0) > 0 && c.topK! < n;
    case 'topP':
      return (c.topP ?? 1) < 1;
    case 'minP':
      return (c.minP ?? 0) > 0;
    case 'typicalP':
      return (c.typicalP ?? 1) < 1;
    case 'epsilon':
      return (c.epsilonCutoff ?? 0) > 0;
    case 'eta':
      return (c.etaCutoff ?? 0) > 0;
    case 'pLess':
      return c.pLess === true;
    case 'xtc':
      return xtcOn(c.xtc);
    default:
      return true;
  }
}

/** The logits with every token not kept masked. */
function masked(x: Float64Array, kept: boolean[]): Float64Array {
  return x.map((v, i) => (kept[i] ? v : -Infinity));
}

function count(kept: boolean[]): number {
  let k = 0;
  for (const on of kept) if (on) k++;
  return k;
}

/** The distribution a stage receives: p of each kept token at temperature T (0 elsewhere). */
function received(x: Float64Array, kept: boolean[], T: number): Float64Array {
  let top = -Infinity;
  for (let i = 0; i < x.length; i++) if (kept[i] && x[i]! > top) top = x[i]!;
  const w = x.map((v, i) => (kept[i] ? Math.exp((v - top) / T) : 0));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

/** A float32 kernel may decide a token within `tol` (relative) of a threshold either way. */
function near(value: number, threshold: number, tol: number): boolean {
  return Math.abs(value - threshold) <= tol * Math.abs(threshold);
}

/** What a stage receives — the logits, those still kept, the temperature so far — and how
 *  close to a boundary a float32 kernel may decide either way (noted in `why`). */
interface Step {
  x: Float64Array;
  kept: boolean[];
  T: number;
  slack: number;
  why: string[];
}

/** ε, η, p-less and XTC (applied: the coin said so) over what the stage received. */
function newStage(stage: StageName, c: ChainParams, { x, kept, T, slack, why }: Step): boolean[] {
  const q = received(x, kept, T);
  const H = entropy(q);
  if (stage === 'xtc') {
    const t = c.xtc!.threshold;
    const top: number[] = [];
    for (let i = 0; i < q.length; i++) {
      if (!kept[i]) continue;
      if (near(q[i]!, t, slack)) why.push(`xtc: token ${i} (p ${q[i]}) at the threshold`);
      if (q[i]! >= t) top.push(i);
    }
    // The one kept is the last by probability descending, then token: the least likely, the
    // highest token among ties.
    top.sort((a, b) => q[b]! - q[a]! || a - b);
    if (top.length < 2 || count(kept) - (top.length - 1) < (c.minKeep ?? 0)) return kept;
    const last = top[top.length - 1]!;
    const before = top[top.length - 2]!;
    if (x[before] !== x[last] && near(q[before]!, q[last]!, slack))
      why.push(`xtc: tokens ${before} and ${last} near-tie`);
    const out = kept.slice();
    for (const i of top) if (i !== last) out[i] = false;
    return out;
  }
  let threshold: number;
  let tol = slack;
  if (stage === 'epsilon') threshold = c.epsilonCutoff!;
  else if (stage === 'eta') {
    const e = c.etaCutoff!;
    threshold = Math.min(e, Math.sqrt(e) * Math.exp(-H));
    // η follows e^−H: the kernels' float32 entropy moves it by about its own error.
    tol = slack * (2 + H);
  } else {
    threshold = q.reduce((s, v) => s + v * v, 0) - 1e-5;
    tol = slack * 2;
  }
  return kept.map((on, i) => {
    if (!on) return false;
    if (near(q[i]!, threshold, tol)) why.push(`${stage}: token ${i} (p ${q[i]}) at ${threshold}`);
    return q[i]! >= threshold;
  });
}

/** minKeep's rule: the first `k` of what the stage received, in the stage's own order — the
 *  logit cuts as top-k (ties at the k-th kept), typical-p by closeness of −ln p to the entropy,
 *  the others by probability; ties by token. */
function firstOf(stage: StageName, k: number, { x, kept, T, slack, why }: Step): boolean[] {
  const ids = kept.flatMap((on, i) => (on ? [i] : []));
  if (stage === 'topK' || stage === 'topNSigma') {
    const th = ids.map((i) => x[i]!).sort((a, b) => b - a)[k - 1]!;
    return kept.map((on, i) => on && x[i]! >= th);
  }
  const q = received(x, kept, T);
  const H = entropy(q);
  // The kernels order by e (float32, relative error ~1e-7) or by |z − mean z| (typical-p).
  let key = (i: number) => -q[i]!;
  let close = (i: number) => slack * q[i]!;
  if (stage === 'typicalP') {
    key = (i: number) => Math.abs(-Math.log(q[i]!) - H);
    close = (i: number) => slack * (Math.abs(Math.log(q[i]!)) + H);
  }
  ids.sort((a, b) => key(a) - key(b) || a - b);
  const [a, b] = [ids[k - 1], ids[k]];
  if (a !== undefined && b !== undefined && x[a] !== x[b] && Math.abs(key(a) - key(b)) <= close(a)) {
    why.push(`minKeep: tokens ${a} and ${b} near-tie at ${stage}`);
  }
  const out = new Array<boolean>(kept.length).fill(false);
  for (const i of ids.slice(0, k)) out[i] = true;
  return out;
}

/** Temperature 0: the kept token with the largest logit, the lowest index on ties. */
function greedy(x: Float64Array, kept: boolean[], base: Reference, why: string[]): Reference {
  let at = -1;
  for (let i = 0; i < x.length; i++) if (kept[i] && (at < 0 || x[i]! > x[at]!)) at = i;
  const p = new Float64Array(x.length);
  p[at] = 1;
  return { ...base, p, w: p.slice(), temperature: 0, entropy: 0, ambiguous: why.length > 0, why };
}
