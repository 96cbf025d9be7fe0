// The state objects of the stateful stages (mirostat, adaptive-p): what createMirostat() and
// createAdaptiveP() return, and the checks a state goes through on every call. The caller owns
// a state, one per sequence; a draw writes the new state back into it (stages.ts afterDraw).
import { inRange, integer, nonNegative, probability } from './checks.js';
import { describe, ownOptions } from './describe.js';

/**
 * Mirostat's state (Basu et al. 2021; llama.cpp `--mirostat`), made by {@link createMirostat}:
 * pass it as `mirostat` on every call of one sequence. `sample()` and `sampleDetailed()` write
 * the new `mu` back into it; `probs()` leaves it alone. Its fields may be read and set.
 */
export interface MirostatState {
  /** 2: keep the tokens with −log2 p ≤ mu. 1: keep the top k, k from a Zipf fit of the top m. */
  version: 1 | 2;
  /** The target surprise, bits (llama.cpp `--mirostat-ent`). Finite, ≥ 0. */
  tau: number;
  /** The learning rate of mu (llama.cpp `--mirostat-lr`). Finite, ≥ 0. */
  eta: number;
  /** Version 1: how many of the most likely tokens the Zipf exponent is fitted to. Integer ≥ 1. */
  m: number;
  /** The bound the last draw left: after each draw, mu −= eta·(−log2 p(token) − tau). */
  mu: number;
}

/** Options of {@link createMirostat}. */
export interface MirostatOptions {
  version: 1 | 2;
  /** Default 5. */
  tau?: number;
  /** Default 0.1. */
  eta?: number;
  /** Default 100 (llama.cpp's fixed value). */
  m?: number;
}

/**
 * adaptive-p's state (llama.cpp PR #17927, `--adaptive-target`), made by
 * {@link createAdaptiveP}: pass it as `adaptiveP` on every call of one sequence. `sample()` and
 * `sampleDetailed()` update its moving average; `probs()` leaves it alone.
 */
export interface AdaptivePState {
  /** The probability the chosen tokens should have on average. In [0, 1]. */
  target: number;
  /** The moving average's decay: it spans about 1/(1 − decay) tokens. In [0, 0.99]. */
  decay: number;
  /** Σ p_i·decay^i over the chosen tokens' probabilities, latest first (primed with target as
   *  if the target had always been met). Finite, ≥ 0. */
  weightedSum: number;
  /** Σ decay^i (primed likewise). Finite, ≥ 0; 0 aims at target itself. */
  totalWeight: number;
}

/** Options of {@link createAdaptiveP}. */
export interface AdaptivePOptions {
  target: number;
  /** Default 0.9. */
  decay?: number;
}

/** What the checks of one kind of state need. @internal */
export interface StateKind {
  /** Its fields, every one required. */
  readonly fields: readonly string[];
  /** Other spellings of its fields, for "did you mean" suggestions. */
  readonly aliases: Readonly<Record<string, string>>;
  /** How a caller makes one, for messages. */
  readonly make: string;
  /** Step two: checks the fields read and writes the stage's slot. */
  check(f: Record<string, unknown>, slot: Float64Array): void;
  /** The fields write() sets. */
  readonly writes: readonly string[];
  /** After a draw: the new state, from the slot the kernels left, into the caller's object. */
  write(state: Record<string, unknown>, slot: Float64Array): void;
}

const MIROSTAT_FIELDS = ['version', 'tau', 'eta', 'm', 'mu'];
const MIROSTAT_ALIASES: Readonly<Record<string, string>> = {
  mirostat: 'version',
  mode: 'version',
  mirostat_tau: 'tau',
  mirostat_ent: 'tau',
  ent: 'tau',
  mirostat_eta: 'eta',
  mirostat_lr: 'eta',
  lr: 'eta',
};
const ADAPTIVE_P_FIELDS = ['target', 'decay', 'weightedSum', 'totalWeight'];
const ADAPTIVE_P_ALIASES: Readonly<Record<string, string>> = {
  adaptive_target: 'target',
  adaptive_decay: 'decay',
  weighted_sum: 'weightedSum',
  total_weight: 'totalWeight',
};

/** A new mirostat state: mu starts at 2·tau, as llama.cpp's (at most Number.MAX_VALUE). */
export function createMirostat(options: MirostatOptions): MirostatState {
  const o = ownOptions('createMirostat', options, MIROSTAT_FIELDS.slice(0, 4), MIROSTAT_ALIASES);
  if (o.version === undefined) throw new TypeError('createMirostat needs version: 1 or 2');
  const tau = o.tau === undefined ? 5 : nonNegative('createMirostat tau', o.tau);
  const state = {
    version: mirostatVersion('createMirostat version', o.version),
    tau,
    eta: o.eta === undefined ? 0.1 : nonNegative('createMirostat eta', o.eta),
    m: o.m === undefined ? 100 : mirostatM('createMirostat m', o.m),
    mu: Math.min(2 * tau, Number.MAX_VALUE), // a tau above MAX_VALUE/2 keeps a finite state
  };
  return state;
}

/** A new adaptive-p state, its average primed as if the target had always been met (as
 *  llama.cpp's): weightedSum = target/(1 − decay), totalWeight = 1/(1 − decay). */
export function createAdaptiveP(options: AdaptivePOptions): AdaptivePState {
  const o = ownOptions('createAdaptiveP', options, ADAPTIVE_P_FIELDS.slice(0, 2), ADAPTIVE_P_ALIASES);
  if (o.target === undefined) throw new TypeError('createAdaptiveP needs target: a probability in [0, 1]');
  const target = probability('createAdaptiveP target', o.target, true, '[0, 1]');
  const decay = o.decay === undefined ? 0.9 : adaptiveDecay('createAdaptiveP decay', o.decay);
  return { target, decay, weightedSum: target / (1 - decay), totalWeight: 1 / (1 - decay) };
}

/**
 * Step one for a state param: the caller's state object's fields, each read once, into
 * `into` (unknown fields throw with a suggestion). A frozen state is refused here, before the
 * draw: its new state could not be written back.
 */
export function readState(name: string, state: unknown, kind: StateKind, into: Record<string, unknown>): void {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    const llama = name === 'mirostat' && (state === 1 || state === 2);
    throw new TypeError(
      `${name} must be a state from ${kind.make}, got ${describe(state)}${llama ? ` (llama.cpp's mirostat ${state} is createMirostat({ version: ${state} }))` : ''}`,
    );
  }
  if (Object.isFrozen(state)) throw new TypeError(`${name} is frozen: a draw writes its new state back into it`);
  ownOptions(name, state, kind.fields, kind.aliases, name, into);
}

/**
 * After a draw: the new state into the caller's object (kind.write). A write that throws — a
 * read-only or accessor field, which a frozen check cannot see — puts back the fields as step
 * one read them and is the call's error (the caller rewinds the stream).
 */
export function writeState(name: string, state: unknown, kind: StateKind, read: unknown, slot: Float64Array): void {
  try {
    kind.write(state as Record<string, unknown>, slot);
  } catch (e) {
    unwriteState(state, kind, read);
    throw new TypeError(
      `${name}: the draw's new state could not be written back (${e instanceof Error ? e.message : String(e)}); nothing was drawn`,
    );
  }
}

/** Puts back the fields write() sets as step one read them (best effort: a setter may throw). */
export function unwriteState(state: unknown, kind: StateKind, read: unknown): void {
  const o = state as Record<string, unknown>,
    f = read as Record<string, unknown>;
  for (let i = 0; i < kind.writes.length; i++) {
    try {
      o[kind.writes[i]!] = f[kind.writes[i]!];
    } catch {
      // the field that refused the new value refuses the old one too
    }
  }
}

/** Mirostat's state: its slot is [tau, eta, m (version 1; 0 = version 2), mu]. */
export const MIROSTAT: StateKind = {
  fields: MIROSTAT_FIELDS,
  aliases: MIROSTAT_ALIASES,
  make: 'createMirostat({ version: 1 | 2 })',
  check: checkMirostat,
  writes: ['mu'],
  write(state, slot) {
    state.mu = slot[3];
  },
};

/** adaptive-p's state: its slot is [target, decay, weightedSum, totalWeight]. */
export const ADAPTIVE_P: StateKind = {
  fields: ADAPTIVE_P_FIELDS,
  aliases: ADAPTIVE_P_ALIASES,
  make: 'createAdaptiveP({ target })',
  check: checkAdaptiveP,
  writes: ['weightedSum', 'totalWeight'],
  write(state, slot) {
    state.weightedSum = slot[2];
    state.totalWeight = slot[3];
  },
};

function checkMirostat(f: Record<string, unknown>, slot: Float64Array): void {
  need('mirostat', f, MIROSTAT_FIELDS, 'createMirostat()');
  const version = mirostatVersion('mirostat.version', f.version);
  slot[0] = nonNegative('mirostat.tau', f.tau);
  slot[1] = nonNegative('mirostat.eta', f.eta);
  const m = mirostatM('mirostat.m', f.m);
  slot[2] = version === 1 ? m : 0;
  slot[3] = inRange('mirostat.mu', f.mu, -Number.MAX_VALUE, Number.MAX_VALUE, 'a finite number');
}

function checkAdaptiveP(f: Record<string, unknown>, slot: Float64Array): void {
  need('adaptiveP', f, ADAPTIVE_P_FIELDS, 'createAdaptiveP()');
  slot[0] = probability('adaptiveP.target', f.target, true, '[0, 1]');
  slot[1] = adaptiveDecay('adaptiveP.decay', f.decay);
  slot[2] = nonNegative('adaptiveP.weightedSum', f.weightedSum);
  slot[3] = nonNegative('adaptiveP.totalWeight', f.totalWeight);
}

function need(name: string, f: Record<string, unknown>, fields: readonly string[], make: string): void {
  for (let i = 0; i < fields.length; i++) {
    if (f[fields[i]!] === undefined) {
      throw new TypeError(`${name}.${fields[i]} is missing: make the state with ${make}`);
    }
  }
}

function mirostatVersion(name: string, v: unknown): 1 | 2 {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, got ${describe(v)}`);
  if (v !== 1 && v !== 2) throw new RangeError(`${name} must be 1 or 2, got ${describe(v)}`);
  return v;
}

function mirostatM(name: string, v: unknown): number {
  return integer(name, v, 1, Number.MAX_SAFE_INTEGER, '≥ 1');
}

function adaptiveDecay(name: string, v: unknown): number {
  // llama.cpp clamps a decay outside [0, 0.99]; here it is an error, like every range.
  return inRange(name, v, 0, 0.99, 'in [0, 0.99]');
}
