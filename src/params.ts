// A call's params, taken in two steps. read() runs every piece of user code the params hold —
// each getter of the params object, of its nested objects, of plain arrays — and copies what
// they return. resolve() then checks it all, with the caller's typed arrays, and no user code
// runs from there until the kernels have read those arrays: a getter can no longer detach,
// resize or replace an array between its check and its use.
import { F_PROBS, MAX_ORDER, MAX_STAGES, SLOT, ST_PENALTIES, ST_TEMPERATURE } from '../assembly/abi.js';
import { describe, ownOptions, suggest } from './describe.js';
import { type AttachedCheck, EDIT_ALIASES, EDIT_KEYS, type EditParams, Edits } from './edits.js';
import { ORDERS, STAGES, type Stage, type StageName, type StageParams } from './stages.js';

/**
 * How to turn logits into a token. The edits come first (allowed mask → logit bias →
 * penalties), then the stages in `order`: by default Hugging Face's, temperature (fixed or
 * dynamic) → top-nσ → top-k → top-p → min-p → typical-p; then renormalise → draw. Every option
 * is off by default.
 */
export interface SamplingParams extends StageParams, EditParams {
  /** 'logits' (default) or 'probs': the array holds probabilities (≥ 0, any scale), and
   *  temperature acts as softmax(ln p / T); p = 0 is masked. */
  input?: 'logits' | 'probs';
  /** The order of the stages after the edits: 'hf' (default: temperature first, as Hugging
   *  Face's generate()), 'llama.cpp' (temperature last: the truncations see the T = 1
   *  distribution), or the stage names in the order wanted, `temperature` among them once. */
  order?: ChainOrder;
}

/** The order of the stages after the edits. */
export type ChainOrder = 'hf' | 'llama.cpp' | readonly StageName[];

const STAGE_KEYS = STAGES.flatMap((s) => s.keys);
const KNOWN: readonly string[] = [...STAGE_KEYS, ...EDIT_KEYS, 'input', 'order'];
const ALIASES: Readonly<Record<string, string>> = Object.assign(
  Object.create(null),
  ...STAGES.map((s) => s.aliases),
  EDIT_ALIASES,
);
const NAMES = STAGES.map((s) => s.name);
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
  /** Whether a draw flips a coin first (a stage asked for a second uniform). */
  coin = false;
  /** The ids of the running stages that keep state, whose slots a draw writes back. */
  readonly stateful = new Uint8Array(MAX_ORDER);
  statefulLength = 0;
  readonly edits = new Edits();
  /** The caller's params as read this call (one record, reused). */
  private readonly record: Record<string, unknown> = Object.fromEntries(KNOWN.map((k) => [k, undefined]));
  /** An explicit order as read (its entries copied: a getter cannot answer twice). */
  private orderNames: unknown[] = [];
  private orderGiven: 'none' | 'name' | 'list' = 'none';
  private readonly ctx = { n: 0, flags: 0, coin: false };
  private readonly slotById = Array.from({ length: MAX_STAGES }, (_, id) => this.slotOf(id));
  private readonly penaltySlot = this.slotById[ST_PENALTIES]!;

  /** Step one: every getter of `params` and of what it holds runs here, once. */
  read(params: SamplingParams | undefined | null): void {
    const o = this.record;
    if (params === undefined || params === null) {
      for (let k = 0; k < KNOWN.length; k++) o[KNOWN[k]!] = undefined;
    } else ownOptions('sampling', params, KNOWN, ALIASES, 'params', o);
    for (let i = 0; i < STAGES.length; i++) STAGES[i]!.read?.(o);
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
    this.statefulLength = 0;
    if (o.input !== undefined) {
      if (o.input !== 'logits' && o.input !== 'probs') {
        throw new TypeError(`input must be 'logits' or 'probs', got ${describe(o.input)}`);
      }
      if (o.input === 'probs') ctx.flags |= F_PROBS;
    }
    const order = this.orderStages();
    this.orderLength = 0;
    for (let i = 0; i < order.length; i++) {
      const s = order[i]!;
      if (!s.resolve(o, this.slotById[s.id]!, ctx)) continue;
      this.order[this.orderLength++] = s.id;
      if (s.afterDraw) this.stateful[this.statefulLength++] = s.id;
    }
    this.edits.check(o, n, this.penaltySlot, ctx, attached);
    this.flags = ctx.flags;
    this.coin = ctx.coin;
    return this;
  }

  /** After a draw: hands each stateful stage its slot as the kernels left it (`slots` already
   *  holds it), to write its new state back into the caller's object. */
  afterDraw(): void {
    for (let i = 0; i < this.statefulLength; i++) {
      const id = this.stateful[i]!;
      BY_ID[id]!.afterDraw!(this.record, this.slotById[id]!);
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
      if (s === undefined) {
        throw new RangeError(
          `order[${i}] is ${describe(name)}, not a stage${typeof name === 'string' ? suggest(name, NAMES) : ''}; stages: ${NAMES.join(', ')}`,
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

const BY_ID: Stage[] = [];
for (const s of STAGES) BY_ID[s.id] = s as Stage;
const HF = ORDERS.hf.map((name) => BY_NAME.get(name)!);
const LLAMA = ORDERS['llama.cpp'].map((name) => BY_NAME.get(name)!);
