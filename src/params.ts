// A call's params, taken in two steps. read() runs every piece of user code the params hold —
// each getter of the params object, of its nested objects, of plain arrays — and copies what
// they return. resolve() then checks it all, with the caller's typed arrays, and no user code
// runs from there until the kernels have read those arrays: a getter can no longer detach,
// resize or replace an array between its check and its use.
import { F_PROBS, MAX_ORDER, MAX_STAGES, SLOT, ST_TEMPERATURE } from '../assembly/abi.js';
import { describe, ownOptions, suggest, Touched } from './describe.js';
import { type AttachedCheck, EDIT_ALIASES, EDIT_KEYS, type EditParams, Edits } from './edits.js';
import { ORDERS, SETTINGS, STAGES, type Stage, type StageName, type StageParams, TERMINALS } from './stages.js';

/**
 * How to turn logits into a token. The edits come first, always in this order: allowed mask →
 * logit bias → sequence bias → penalties → DRY → bans (bad words, no-repeat n-grams); then the
 * stages in `order`: by default Hugging Face's, temperature (fixed or dynamic) → top-nσ →
 * top-k → top-p → min-p → typical-p → ε → η → p-less → XTC; then renormalise → draw, or a
 * stateful stage (`mirostat`, `adaptiveP`), last, picks the token. Every option is off by
 * default.
 */
export interface SamplingParams extends StageParams, EditParams {
  /** 'logits' (default) or 'probs': the array holds probabilities (≥ 0, any scale: they are
   *  normalised first, so every param acts on ln(p / Σp)), and temperature acts as
   *  softmax(ln p / T); p = 0 is masked. */
  input?: 'logits' | 'probs';
  /** The order of the stages after the edits: 'hf' (default: temperature first, as Hugging
   *  Face's generate()), 'llama.cpp' (temperature last: the truncations see the T = 1
   *  distribution), or the stage names in the order wanted, `temperature` among them once. */
  order?: ChainOrder;
}

/** The order of the stages after the edits. */
export type ChainOrder = 'hf' | 'llama.cpp' | readonly StageName[];

/** Every stage's entry: those `order` arranges, then the terminal ones. */
const ALL: readonly Stage[] = [...STAGES, ...TERMINALS];
const STAGE_KEYS = [...ALL, ...SETTINGS].flatMap((s) => s.keys);
const KNOWN: readonly string[] = [...STAGE_KEYS, ...EDIT_KEYS, 'input', 'order'];
const ALIASES: Readonly<Record<string, string>> = Object.assign(
  Object.create(null),
  ...ALL.map((s) => s.aliases),
  ...SETTINGS.map((s) => s.aliases),
  EDIT_ALIASES,
);
const NAMES = STAGES.map((s) => s.name);
/** A stage's params and their other spellings, as an order entry: epsilonCutoff → epsilon. */
const ORDER_ALIASES: Record<string, string> = Object.fromEntries(
  STAGES.flatMap((s) => [...s.keys, ...Object.keys(s.aliases)].filter((k) => k !== s.name).map((k) => [k, s.name])),
);
const BY_NAME = new Map<string, Stage>(STAGES.map((s) => [s.name, s as Stage]));

/** A call's params in kernel form, reused from call to call. @internal */
export class Resolved {
  /** The stage slots of the parameter block (abi.ts), float64 as the kernels read them. */
  readonly slots = new Float64Array((MAX_STAGES * SLOT) / 8);
  /** The ids of the stages that run, in order, and how many. */
  readonly order = new Uint8Array(MAX_ORDER);
  orderLength = 0;
  /** Kernel flags (abi.ts F_*) the params set. */
  flags = 0;
  /** Whether a draw flips a coin first (a stage asked for a second uniform), and the chance
   *  that it applies the stage (what probs() weighs the two outcomes with). */
  coin = false;
  chance = 0;
  /** The ids of the settings, whose slots every run writes (abi.ts ST_MIN_KEEP). */
  readonly settings: readonly number[] = SETTINGS.map((s) => s.id);
  /** The ids of the running stages that keep state, whose slots a draw writes back. */
  readonly stateful = new Uint8Array(MAX_ORDER);
  statefulLength = 0;
  readonly edits = new Edits();
  /** The caller's params as read this call (one record, reused). */
  private readonly record: Record<string, unknown> = Object.fromEntries(KNOWN.map((k) => [k, undefined]));
  /** The names of `record` the last read() set (the others are all undefined). */
  private readonly touched = new Touched(KNOWN.length);
  /** An explicit order as read (its entries copied: a getter cannot answer twice). */
  private orderNames: unknown[] = [];
  private orderGiven: 'none' | 'name' | 'list' = 'none';
  private readonly ctx = { n: 0, flags: 0, coin: false, chance: 0 };
  private readonly slotById = Array.from({ length: MAX_STAGES }, (_, id) => this.slotOf(id));

  /** Step one: every getter of `params` and of what it holds runs here, once. */
  read(params: SamplingParams | undefined | null): void {
    const o = this.record;
    if (params === undefined || params === null) this.touched.clear(o);
    else ownOptions('sampling', params, KNOWN, ALIASES, 'params', o, this.touched);
    for (let i = 0; i < ALL.length; i++) ALL[i]!.read?.(o);
    this.edits.read(o);
    this.readOrder(o.order);
  }

  /** Step two: checks what read() took against the vocabulary n; `attached` vouches for each
   *  typed array. No user code runs here. */
  resolve(n: number, attached: AttachedCheck): this {
    const o = this.record,
      ctx = this.ctx;
    ctx.n = n;
    ctx.flags = 0;
    ctx.coin = false;
    ctx.chance = 0;
    this.statefulLength = 0;
    if (o.input !== undefined) {
      if (o.input !== 'logits' && o.input !== 'probs') {
        throw new TypeError(`input must be 'logits' or 'probs', got ${describe(o.input)}`);
      }
      if (o.input === 'probs') ctx.flags |= F_PROBS;
    }
    for (let i = 0; i < SETTINGS.length; i++) {
      const s = SETTINGS[i]!;
      s.resolve(o, this.slotById[s.id]!, ctx);
    }
    const order = this.orderStages();
    this.orderLength = 0;
    for (let i = 0; i < order.length; i++) {
      const s = order[i]!;
      if (!s.resolve(o, this.slotById[s.id]!, ctx)) continue;
      this.order[this.orderLength++] = s.id;
      if (s.afterDraw) this.stateful[this.statefulLength++] = s.id;
    }
    this.resolveTerminal(o);
    this.edits.check(o, n, this.slotById, ctx, attached);
    this.flags = ctx.flags;
    this.coin = ctx.coin;
    this.chance = ctx.chance;
    return this;
  }

  /** After a draw: hands each stateful stage its slot as the kernels left it (`slots` already
   *  holds it), to write its new state back into the caller's object. */
  afterDraw(): void {
    // At most one stateful stage (mirostat and adaptive-p exclude each other): a failed write
    // puts its own fields back (states.ts writeState).
    for (let i = 0; i < this.statefulLength; i++) {
      const id = this.stateful[i]!;
      BY_ID[id]!.afterDraw!(this.record, this.slotById[id]!);
    }
  }

  /** Undoes afterDraw() (a later row of a batch could not take its state). */
  undoDraw(): void {
    for (let i = 0; i < this.statefulLength; i++) BY_ID[this.stateful[i]!]!.undoDraw!(this.record);
  }

  /** The terminal stage the params turn on, if any: checked, and run last. */
  private resolveTerminal(o: Record<string, unknown>): void {
    let terminal: Stage | undefined;
    for (let i = 0; i < TERMINALS.length; i++) {
      const s: Stage = TERMINALS[i]!;
      if (!s.resolve(o, this.slotById[s.id]!, this.ctx)) continue;
      if (terminal !== undefined) {
        throw new TypeError(`give ${terminal.name} or ${s.name}, not both: each picks the token itself`);
      }
      terminal = s;
    }
    if (terminal === undefined) return;
    if (terminal.alone) {
      for (let j = 0; j < this.orderLength; j++) {
        const id = this.order[j]!;
        if (id === ST_TEMPERATURE) continue;
        throw new TypeError(
          `${BY_ID[id]!.keys[0]} cannot be combined with ${terminal.name}: as in llama.cpp, ${terminal.name} runs after the temperature alone (edits → temperature → ${terminal.name})`,
        );
      }
    }
    this.order[this.orderLength++] = terminal.id;
    this.stateful[this.statefulLength++] = terminal.id;
  }

  /**
   * sampleRows: takes the state that an earlier row's draw left for a state object this row
   * holds too, so that rows sharing one are drawn in order, as calls one after another would
   * be. (Rows of one params object share its record, and so their state, already.)
   */
  adoptState(earlier: Resolved): void {
    for (let i = 0; i < this.statefulLength; i++) {
      const id = this.stateful[i]!;
      const key = BY_ID[id]!.keys[0]!;
      if (earlier.record[key] === this.record[key]) this.slotById[id]!.set(earlier.slotById[id]!);
    }
  }

  /** The temperature given (1 by default; dynamic temperature's is known after the run). */
  get temperature(): number {
    return this.slots[(ST_TEMPERATURE * SLOT) / 8]!;
  }

  private slotOf(id: number): Float64Array {
    return this.slots.subarray((id * SLOT) / 8, ((id + 1) * SLOT) / 8);
  }

  private readOrder(v: unknown): void {
    this.orderGiven = 'none';
    if (v === undefined) return;
    if (typeof v === 'string') {
      this.orderGiven = 'name';
      this.orderNames.length = 1;
      this.orderNames[0] = v;
      return;
    }
    if (!Array.isArray(v)) {
      throw new TypeError(`order must be 'hf', 'llama.cpp' or an array of stage names, got ${describe(v)}`);
    }
    const count = v.length;
    if (count > NAMES.length) {
      throw new RangeError(`order names ${count} stages; there are ${NAMES.length}: ${NAMES.join(', ')}`);
    }
    this.orderGiven = 'list';
    this.orderNames.length = count;
    for (let i = 0; i < count; i++) this.orderNames[i] = v[i];
  }

  /** The stages in the order asked for, every one of them checked. */
  private orderStages(): readonly Stage[] {
    if (this.orderGiven === 'none') return HF;
    if (this.orderGiven === 'name') {
      const name = this.orderNames[0];
      if (name === 'hf') return HF;
      if (name === 'llama.cpp') return LLAMA;
      throw new RangeError(
        `order must be 'hf', 'llama.cpp' or an array of stage names, got ${describe(name)}${suggest(String(name), ['hf', 'llama.cpp'])}`,
      );
    }
    const list = this.explicit;
    list.length = 0;
    for (let i = 0; i < this.orderNames.length; i++) {
      const name = this.orderNames[i];
      const s = typeof name === 'string' ? BY_NAME.get(name) : undefined;
      if (typeof name === 'string' && TERMINAL_NAMES.has(name)) {
        throw new RangeError(`order[${i}] is '${name}', which order does not place: it always runs last`);
      }
      if (s === undefined) {
        throw new RangeError(
          `order[${i}] is ${describe(name)}, not a stage${typeof name === 'string' ? notAStage(name) : ''}; stages: ${NAMES.join(', ')}`,
        );
      }
      if (list.includes(s)) throw new RangeError(`order names '${s.name}' twice`);
      list.push(s);
    }
    if (!list.includes(BY_NAME.get('temperature')!)) {
      throw new RangeError(`order must name 'temperature' once, got [${this.orderNames.map(describe).join(', ')}]`);
    }
    // A stage the params turn on must run: an order that leaves it out is a mistake, not a no-op.
    for (const s of STAGES) {
      if (list.includes(s)) continue;
      for (const key of s.keys) {
        if (this.record[key] !== undefined) {
          throw new TypeError(`${key} is set but order does not name '${s.name}'`);
        }
      }
    }
    return list;
  }

  private readonly explicit: Stage[] = [];
}

const TERMINAL_NAMES: ReadonlySet<string> = new Set(TERMINALS.map((s) => s.name));
const SETTING_KEYS: ReadonlySet<string> = new Set(SETTINGS.flatMap((s) => [...s.keys, ...Object.keys(s.aliases)]));
const EDIT_NAMES: ReadonlySet<string> = new Set([...EDIT_KEYS, ...Object.keys(EDIT_ALIASES)]);

/** What an order entry that names no stage is instead, or the stage it is closest to. */
function notAStage(name: string): string {
  if (SETTING_KEYS.has(name)) return ` (a setting every truncation applies, which order does not place)`;
  if (EDIT_NAMES.has(name)) return ` (an edit: the edits always run before the stages)`;
  return suggest(name, NAMES, ORDER_ALIASES);
}
const BY_ID: Stage[] = [];
for (const s of ALL) BY_ID[s.id] = s;
const HF = ORDERS.hf.map((name) => BY_NAME.get(name)!);
const LLAMA = ORDERS['llama.cpp'].map((name) => BY_NAME.get(name)!);
