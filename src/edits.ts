// The edits as the wrapper knows them: the allowed-token mask, the logit bias, the sequence
// bias, the penalties, DRY and the bans (bad words, no-repeat n-grams) — the params that carry
// arrays. The kernels apply them before the chain, in a fixed order (assembly/edits.ts). Like
// every param they are taken in two steps (params.ts): read() copies what plain objects and
// arrays hold (their getters run there, with every other param's), and check() validates that
// and the caller's typed arrays once no user code can run.
import { F_MASK, MAX_TOKENS, ST_DRY, ST_NO_REPEAT_NGRAM, ST_PENALTIES } from '../assembly/abi.js';
import type { EditRoom } from './backend/kernels.js';
import { finite, inRange, integer, nonNegative } from './checks.js';
import {
  describe,
  isDetached,
  ownOptions,
  typedArrayBuffer,
  typedArrayKind,
  typedArrayLength,
  typedArrayOffset,
} from './describe.js';

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
  /** Tokens generated so far, read by the penalties (the last `penaltyLastN` of them), DRY
   *  (its last `lastN`), the n-gram ban, bad words and the sequence bias. Every entry must be a
   *  token id of the vocabulary. */
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
  /** Hugging Face's sequence bias: `[tokens, bias]` pairs; the bias is added to the logit of
   *  the sequence's last token when `history` ends with the rest of it (a one-token sequence:
   *  always). Entries that name the same token add up. Needs `history`. */
  sequenceBias?: readonly (readonly [TokenSequence, number])[];
  /** DRY (llama.cpp, koboldcpp): penalises the token that would extend a repeat of the
   *  history's latest tokens. Needs `history`. */
  dry?: Dry;
  /** Hugging Face's no_repeat_ngram_size: bans every token that would complete an n-gram
   *  `history` already holds (n = 1: every token of the history). An integer ≥ 1. */
  noRepeatNgramSize?: number;
  /** Token sequences never to generate (vLLM's bad_words, Hugging Face's bad_words_ids): a
   *  sequence's last token is banned when `history` ends with the rest of it (a one-token
   *  sequence: always). Needs `history`. */
  badWords?: readonly TokenSequence[];
}

/** Token ids: a plain array or an Int32Array (copied when the params are read). */
export type TokenSequence = readonly number[] | Int32Array;

/**
 * DRY, "Don't Repeat Yourself" (koboldcpp; llama.cpp's `--dry-*`). For each candidate c, L is
 * the length of the longest suffix of the latest `lastN` history tokens that occurred earlier
 * followed by c; that suffix may not reach back over the end of the latest sequence breaker.
 * If L ≥ allowedLength, c's logit loses multiplier · base^min(L − allowedLength,
 * ⌊ln(FLT_MAX)/ln base⌋). A single-token breaker is never penalised.
 */
export interface Dry {
  /** ≥ 0; 0 = off. llama.cpp suggests 0.8. */
  multiplier: number;
  /** ≥ 1. Default 1.75. */
  base?: number;
  /** The longest repeat left alone: an integer ≥ 1. Default 2. */
  allowedLength?: number;
  /** How many of the latest history tokens DRY reads: −1 (default) = all, 0 = off. */
  lastN?: number;
  /** Token sequences a repeat may not cross (the caller tokenises: llama.cpp's defaults are
   *  "\n", ":", "\"" and "*"). Default none. */
  sequenceBreakers?: readonly TokenSequence[];
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
  'sequenceBias',
  'dry',
  'noRepeatNgramSize',
  'badWords',
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
  sequence_bias: 'sequenceBias',
  no_repeat_ngram_size: 'noRepeatNgramSize',
  bad_words: 'badWords',
  bad_words_ids: 'badWords',
  dry_multiplier: 'dry',
  dry_base: 'dry',
  dry_allowed_length: 'dry',
  dry_penalty_last_n: 'dry',
  dry_sequence_breakers: 'dry',
};

const DRY_KEYS = ['multiplier', 'base', 'allowedLength', 'lastN', 'sequenceBreakers'];
const DRY_ALIASES: Readonly<Record<string, string>> = {
  dry_multiplier: 'multiplier',
  dry_base: 'base',
  dry_allowed_length: 'allowedLength',
  allowed_length: 'allowedLength',
  dry_penalty_last_n: 'lastN',
  penalty_last_n: 'lastN',
  penaltyLastN: 'lastN',
  last_n: 'lastN',
  dry_sequence_breakers: 'sequenceBreakers',
  sequence_breakers: 'sequenceBreakers',
  breakers: 'sequenceBreakers',
};

const SEQUENCES = 'an array of token-id sequences (number[][])';

/** Numbers the kernels read as int32: larger ones act the same as this (no window or repeat is
 *  longer than MAX_TOKENS). */
const HUGE = 2 * MAX_TOKENS;

/** How the wrapper tells a typed array it cannot use: throws for a detached one. @internal */
export type AttachedCheck = <T extends ArrayBufferView>(name: string, a: T) => T;

/** The edits of one call, in kernel form; reused from call to call. @internal */
export class Edits {
  mask: Uint32Array<ArrayBufferLike> | null = null;
  private maskWords = 0;
  biasIds: Int32Array<ArrayBufferLike> = new Int32Array(0);
  biasValues: Float32Array<ArrayBufferLike> = new Float32Array(0);
  biasCount = 0;
  /** The history the kernels get: history[historyFrom …) of historyCount tokens, the latest
   *  ones, as many as the longest-reaching edit reads (0: no edit reads it). */
  history: Int32Array<ArrayBufferLike> = new Int32Array(0);
  historyFrom = 0;
  historyCount = 0;
  /** The sequence table (assembly/edits/sequences.ts): the sequence bias's entries, then the
   *  bad words, then DRY's breakers, their tokens one after another, where each ends, and the
   *  sequence bias's values. Our own arrays, grown as needed. */
  sequenceTokens = new Int32Array(64);
  sequenceEnds = new Int32Array(16);
  sequenceValues = new Float32Array(16);
  sequenceCount = 0;
  sequenceTokenCount = 0;
  sequenceBiasCount = 0;
  badWordsCount = 0;
  breakerCount = 0;
  /** The edit regions this call needs (KernelBackend.reserve()). */
  readonly room: EditRoom = { bias: 0, history: 0, sequences: 0, sequenceTokens: 0, edited: 0 };

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
  /** The `dry` options as read (one record, reused), or undefined. */
  private dry: Record<string, unknown> | undefined;
  private readonly dryRecord: Record<string, unknown> = Object.create(null);
  /** The longest sequence-bias or bad-word sequence less its last token: history it reads. */
  private longestPrefix = 0;

  /** Step one: copies the bias entries of a Map or object, the fast form's two fields and a
   *  number[] history, running whatever getters they have. */
  read(o: Record<string, unknown>): void {
    this.rawCount = -1;
    this.fast.ids = this.fast.values = undefined;
    this.plainHistory = -1;
    if (o.logitBias !== undefined) this.readBias(o.logitBias);
    this.readSequenceTables(o);
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
   *  (no user code runs from here to the kernels), and fills the edits' slots (`slots[id]`). */
  check(
    o: Record<string, unknown>,
    n: number,
    slots: readonly Float64Array[],
    ctx: { flags: number },
    attached: AttachedCheck,
  ) {
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
    this.checkSequences(n);
    this.checkHistoryEdits(o, n, slots, attached);
    const room = this.room;
    room.bias = this.biasCount;
    room.history = this.historyCount;
    room.sequences = this.sequenceCount;
    room.sequenceTokens = this.sequenceTokenCount;
    // The undo record (assembly/edits/undo.ts): one per bias entry, then one per other token an
    // edit changes — a history token or a sequence's last token.
    room.edited = this.biasCount + Math.min(n, this.historyCount + this.sequenceCount);
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
      // A view built from the buffer, not subarray(): that would run the caller's species.
      const h = this.history;
      const window = new Int32Array(typedArrayBuffer(h), typedArrayOffset(h) + this.historyFrom * 4, this.historyCount);
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

  /** The params of the edits that read the history — penalties, DRY, the no-repeat n-gram
   *  ban, and the sequence bias and bad words — into their slots, and which of the history the
   *  kernels get: the latest tokens, as many as the longest-reaching of them reads. */
  private checkHistoryEdits(
    o: Record<string, unknown>,
    n: number,
    slots: readonly Float64Array[],
    attached: AttachedCheck,
  ): void {
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
    const penalties = repetition !== 1 || presence !== 0 || frequency !== 0;
    const pen = slots[ST_PENALTIES]!,
      dry = slots[ST_DRY]!,
      ngram = slots[ST_NO_REPEAT_NGRAM]!;
    pen[0] = repetition;
    pen[1] = presence;
    pen[2] = frequency;
    const dryLastN = this.checkDry(dry);
    let size = 0;
    if (o.noRepeatNgramSize !== undefined) {
      size = Math.min(integer('noRepeatNgramSize', o.noRepeatNgramSize, 1, Number.MAX_SAFE_INTEGER, '≥ 1'), HUGE);
    }
    const sequences = this.sequenceBiasCount + this.badWordsCount > 0;
    // Each edit's window, 0 = off (the kernels trust them: they are set on every call).
    pen[3] = dry[3] = ngram[0] = 0;
    this.historyCount = 0;
    const h = o.history;
    if (h === undefined) {
      const needs = penalties
        ? 'repetitionPenalty, presencePenalty and frequencyPenalty need'
        : dryLastN !== 0
          ? 'dry needs'
          : size > 0
            ? 'noRepeatNgramSize needs'
            : this.sequenceBiasCount > 0
              ? 'sequenceBias needs'
              : this.badWordsCount > 0
                ? 'badWords needs'
                : '';
      if (needs) throw new TypeError(`${needs} the token history: pass params.history`);
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
    // Every entry is checked, whichever edits read it.
    const hist = this.history;
    for (let k = 0; k < len; k++) {
      const id = hist[k]!;
      if (id < 0 || id >= n) throw badHistory(k, id, n);
    }
    if (penalties) pen[3] = Math.min(len, window);
    if (dryLastN !== 0) dry[3] = dryLastN < 0 ? len : Math.min(len, dryLastN);
    if (size > 0) ngram[0] = size;
    const reach = Math.max(pen[3]!, dry[3]!, size > 0 ? len : 0, sequences ? Math.min(len, this.longestPrefix) : 0);
    this.historyFrom = len - reach;
    this.historyCount = reach;
  }

  /** DRY's params into its slot [multiplier, base, allowedLength, _]; returns its lastN, 0
   *  when it is off. */
  private checkDry(slot: Float64Array): number {
    const d = this.dry;
    if (d === undefined) return 0;
    if (d.multiplier === undefined) {
      throw new TypeError(
        'dry needs multiplier (≥ 0; llama.cpp suggests 0.8), with optionally base, allowedLength, lastN and sequenceBreakers',
      );
    }
    const multiplier = nonNegative('dry.multiplier', d.multiplier, ' (0 = off)');
    const base = d.base === undefined ? 1.75 : inRange('dry.base', d.base, 1, Infinity, 'a finite number ≥ 1', false);
    const allowed =
      d.allowedLength === undefined
        ? 2
        : integer('dry.allowedLength', d.allowedLength, 1, Number.MAX_SAFE_INTEGER, '≥ 1');
    const lastN =
      d.lastN === undefined
        ? -1
        : integer('dry.lastN', d.lastN, -1, Number.MAX_SAFE_INTEGER, '≥ -1 (-1 = all the history, 0 = off)');
    slot[0] = multiplier;
    slot[1] = base;
    slot[2] = Math.min(allowed, HUGE);
    return multiplier === 0 ? 0 : lastN;
  }

  /** Step one for the sequence lists: copies every sequence into the table, each token checked
   *  to be an id (the vocabulary is checked by check()), and the sequence bias's values. */
  private readSequenceTables(o: Record<string, unknown>): void {
    this.sequenceCount = this.sequenceTokenCount = 0;
    this.sequenceBiasCount = this.badWordsCount = this.breakerCount = 0;
    this.longestSequence = 0;
    this.dry = undefined;
    const bias = o.sequenceBias;
    if (bias !== undefined) {
      const count = listLength('sequenceBias', bias, 'an array of [tokens, bias] pairs');
      // The counts are set first: an error names a sequence by its place (sequenceName()), and
      // no name is built unless one is thrown.
      this.sequenceBiasCount = count;
      for (let i = 0; i < count; i++) {
        const pair = (bias as readonly unknown[])[i];
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new TypeError(`sequenceBias[${i}] must be a [tokens, bias] pair, got ${describe(pair)}`);
        }
        const tokens = pair[0],
          value = pair[1];
        this.readSequence(tokens);
        if (typeof value !== 'number')
          throw new TypeError(`sequenceBias[${i}][1] must be a number, got ${describe(value)}`);
        const f = Math.fround(value);
        if (!Number.isFinite(f)) {
          throw new RangeError(`sequenceBias[${i}][1] is ${describe(value)}; a bias is a finite number (float32)`);
        }
        this.sequenceValues[this.sequenceCount - 1] = f;
      }
    }
    if (o.badWords !== undefined) {
      this.badWordsCount = listLength('badWords', o.badWords, SEQUENCES);
      this.readSequenceList(o.badWords as readonly unknown[], this.badWordsCount);
    }
    this.longestPrefix = Math.max(0, this.longestSequence - 1);
    if (o.dry !== undefined) {
      const d = ownOptions('dry', o.dry, DRY_KEYS, DRY_ALIASES, 'dry', this.dryRecord);
      this.dry = d;
      if (d.sequenceBreakers !== undefined) {
        this.breakerCount = listLength('dry.sequenceBreakers', d.sequenceBreakers, SEQUENCES);
        this.readSequenceList(d.sequenceBreakers as readonly unknown[], this.breakerCount);
      }
    }
  }

  /** The longest sequence read so far (the sequence bias's and bad words' until the breakers). */
  private longestSequence = 0;

  /** Copies `count` sequences of a list. */
  private readSequenceList(list: readonly unknown[], count: number): void {
    for (let i = 0; i < count; i++) this.readSequence(list[i]);
  }

  /** Appends one sequence (a number[] or Int32Array of token ids) to the table. */
  private readSequence(seq: unknown): void {
    const at = this.sequenceTokenCount,
      j = this.sequenceCount;
    const typed = typedArrayKind(seq) === 'Int32Array';
    if (!typed && !Array.isArray(seq)) {
      throw new TypeError(
        `${this.sequenceName(j)} must be an array of token ids (number[] or Int32Array), got ${describe(seq)}`,
      );
    }
    if (typed && isDetached(seq as Int32Array)) {
      throw new RangeError(`${this.sequenceName(j)}'s buffer is detached (transferred?)`);
    }
    const len = typed ? typedArrayLength(seq as Int32Array) : (seq as readonly unknown[]).length;
    if (len === 0) throw new RangeError(`${this.sequenceName(j)} is empty: a sequence needs at least one token`);
    if (at + len > MAX_TOKENS || j >= MAX_TOKENS) {
      throw new RangeError(`the token sequences hold more than ${MAX_TOKENS} tokens; at most that many are supported`);
    }
    if (this.sequenceTokens.length < at + len) this.sequenceTokens = grownI32(this.sequenceTokens, at + len);
    if (this.sequenceEnds.length <= j) {
      this.sequenceEnds = grownI32(this.sequenceEnds, j + 1);
      const values = new Float32Array(this.sequenceEnds.length);
      values.set(this.sequenceValues);
      this.sequenceValues = values;
    }
    const tokens = this.sequenceTokens;
    for (let k = 0; k < len; k++) {
      const id = (seq as ArrayLike<unknown>)[k];
      if (typeof id !== 'number') {
        throw new TypeError(`${this.sequenceName(j)}[${k}] must be a number, got ${describe(id)}`);
      }
      if (!Number.isInteger(id) || id < 0 || id >= MAX_TOKENS) {
        throw new RangeError(`${this.sequenceName(j)}[${k}] is ${describe(id)}, not a token id`);
      }
      tokens[at + k] = id;
    }
    this.sequenceTokenCount = at + len;
    this.sequenceEnds[j] = at + len;
    this.sequenceValues[j] = 0;
    this.sequenceCount = j + 1;
    if (len > this.longestSequence) this.longestSequence = len;
  }

  /** Every sequence token inside the vocabulary n. */
  private checkSequences(n: number): void {
    const tokens = this.sequenceTokens,
      ends = this.sequenceEnds;
    let from = 0;
    for (let j = 0; j < this.sequenceCount; j++) {
      const to = ends[j]!;
      for (let k = from; k < to; k++) {
        if (tokens[k]! >= n) {
          throw new RangeError(`${this.sequenceName(j)}[${k - from}] is ${tokens[k]}, not a token id in [0, ${n})`);
        }
      }
      from = to;
    }
  }

  /** How the caller names sequence j of the table. */
  private sequenceName(j: number): string {
    if (j < this.sequenceBiasCount) return `sequenceBias[${j}][0]`;
    const k = j - this.sequenceBiasCount;
    return k < this.badWordsCount ? `badWords[${k}]` : `dry.sequenceBreakers[${k - this.badWordsCount}]`;
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

/** The length of a plain array param, or the TypeError that it is none. */
function listLength(name: string, v: unknown, what: string): number {
  if (!Array.isArray(v)) throw new TypeError(`${name} must be ${what}, got ${describe(v)}`);
  return v.length;
}

/** A larger Int32Array holding a's contents: at least `need`, doubling (grown rarely, never per
 *  call once the largest call has been seen). */
function grownI32(a: Int32Array, need: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(need, 2 * a.length));
  b.set(a);
  return b;
}
