// Where every buffer lives in linear memory. Nothing here allocates: the host asks bytesFor()
// how much memory a capacity needs, grows memory, and only then calls configure(), so a
// growth that fails leaves the old layout in place. VIEW is the first region that depends on
// a size (the view's own) and never moves: a logitsView() keeps its contents when memory grows.
import { BLOCK_BYTES, MAX_TOP_N } from './abi';

/** Logits per block: the unit of every vector pass (16 vectors), of the block maxima that
 *  let the softmax skip blocks whose every e is 0, and of the cumulative masses the draw
 *  searches. */
export const BLOCK: i32 = 64;
/** Candidates sampled per round of the mass selection (select.ts). */
export const PIVOT_SAMPLE: i32 = 256;
/** A mass selection sorts its candidates outright once this few remain. */
export const SMALL_SET: i32 = 512;
/** Up to this rank, top-k keeps a heap of the k largest instead of radix passes. */
export const SMALL_RANK: i32 = 64;
/** Most tokens XTC bans over the dense logits (stages/xtc.ts); the undo record holds them on
 *  top of the edits'. */
export const XTC_BANS: i32 = 64;

function align(p: usize): usize {
  return (p + 63) & ~(<usize>63);
}

// Fixed regions (independent of the capacity).
export const PARAMS: usize = align(__heap_base); // the parameter block (abi.ts)
export const TAIL: usize = PARAMS + BLOCK_BYTES; // the last partial block of the logits, padded with -Infinity
export const COUNTS: usize = TAIL + ((<usize>BLOCK) << 2); // 256 u32 radix counters
export const HEAP: usize = COUNTS + 1024; // SMALL_RANK u32: min-heap of the top-k selection
export const TOP: usize = HEAP + ((<usize>SMALL_RANK) << 2); // MAX_TOP_N (i32 token, f32 z) pairs
/** Key/payload pairs a sort orders, and its ping-pong copies (SORT_MAX of each). */
export const SORT_MAX: i32 = 2048;
export const SORT_KEYS: usize = TOP + ((<usize>MAX_TOP_N) << 3);
export const SORT_VALS: usize = SORT_KEYS + ((<usize>SORT_MAX) << 2);
export const SORT_KEYS2: usize = SORT_VALS + ((<usize>SORT_MAX) << 2);
export const SORT_VALS2: usize = SORT_KEYS2 + ((<usize>SORT_MAX) << 2);
export const VIEW: usize = align(SORT_VALS2 + ((<usize>SORT_MAX) << 2)); // logitsView(): the caller's, sized apart

// Regions sized by the capacity, laid out by configure().
export let CAP: i32 = 0; // tokens every per-token region holds (a multiple of BLOCK)
export let INPUT: usize = 0; // f32 logits the host copied in (read only, like a view)
export let STAGE: usize = 0; // f32 logits transformed before the chain (mask, probabilities, scale)
export let MASK: usize = 0; // u32 allowed-token bitmask, bit i & 31 of word i >> 5
export let SEEN: usize = 0; // i32 per token: the edits' marks (edits/seen.ts); 0 between calls
export let RECORDED: usize = 0; // bit per token: its original is in UNDO (edits/undo.ts); 0 between calls
export let BMAX: usize = 0; // f32x4 per block: lane-wise maximum of its 16 vectors
export let BCUM: usize = 0; // f64 per block: mass of the blocks up to and including it
export let BMASS: usize = 0; // f64 per block: its mass (0 exactly when every e in it is 0)
export let EMAX: usize = 0; // f32x4 per block: lane-wise maximum of its e (SIMD expStore)
export let LIST: usize = 0; // i32 token index of each listed logit (top-k, min-p filter)
export let XL: usize = 0; // f32 the listed logits; also where probs() leaves its output (OUTPUT)
export let E: usize = 0; // f32 e = 2^z per position (unwritten in blocks of mass 0)
/** MODE_RESIDUAL's q (residual.ts): E, which the host fills between a MODE_PROBS run and the
 *  residual draw, when nothing else runs. */
export let DRAFT_Q: usize = 0;
export let Z: usize = 0; // f32 z = (x - max)·c per position, when a stage needs it
export let AK: usize = 0; // i32 selection keys of the positions still in play (select.ts)
export let AM: usize = 0; // f32 their masses
export let AI: usize = 0; // i32 their positions
export let KMASS: usize = 0; // f64 per block: mass of its kept positions
export let AMASS: usize = 0; // f64 per block of AM: the masses of the positions in play (select.ts)
export let BIAS_IDS: usize = 0; // i32 token ids of the logit bias
export let BIAS_VALS: usize = 0; // f32 their biases
export let HISTORY: usize = 0; // i32 the latest tokens of the history, as many as an edit reads
export let REPEATS: usize = 0; // i32 per history token: suffix repeat lengths (edits/repeats.ts)
export let SEQ_TOKENS: usize = 0; // i32 the sequence table's tokens, sequence after sequence
export let SEQ_ENDS: usize = 0; // i32 per sequence: where its tokens end in SEQ_TOKENS
export let SEQ_VALS: usize = 0; // f32 per sequence: its bias (sequence bias)
export let UNDO_IDS: usize = 0; // i32 tokens edited in the caller's view
export let UNDO_VALS: usize = 0; // f32 their original logits
export let END: usize = 0;

/** Bytes of linear memory the layout needs for `view` floats of logitsView(), runs over up to
 *  `capacity` tokens, `bias` logit-bias entries, `history` history tokens, a sequence table of
 *  `sequences` sequences holding `tokens` tokens, and `edited` records of the edits' originals
 *  (undo.ts: one per bias entry, then one per other token edited). The view is sized apart
 *  from the runs' regions: a batch of rows in one view needs the regions of one row, not of
 *  the whole block. Pure: the host calls it
 *  before growing memory. Every argument is at most MAX_TOKENS (`edited` 2·MAX_TOKENS), so
 *  nothing overflows 32 bits. */
export function bytesFor(
  view: i32,
  capacity: i32,
  bias: i32,
  history: i32,
  sequences: i32,
  tokens: i32,
  edited: i32,
): usize {
  return layout(view, capacity, bias, history, sequences, tokens, edited, false);
}

/** Lays out every region for these sizes (bytesFor()); memory must already hold what bytesFor()
 *  asked for. Clears SEEN and RECORDED, which must be all zero between calls. */
export function configure(
  view: i32,
  capacity: i32,
  bias: i32,
  history: i32,
  sequences: i32,
  tokens: i32,
  edited: i32,
): void {
  layout(view, capacity, bias, history, sequences, tokens, edited, true);
  memory.fill(SEEN, 0, (<usize>CAP) << 2);
  memory.fill(RECORDED, 0, <usize>CAP >> 3);
}

function layout(
  view: i32,
  capacity: i32,
  bias: i32,
  history: i32,
  sequences: i32,
  tokens: i32,
  edited: i32,
  commit: bool,
): usize {
  const cap = (capacity + BLOCK - 1) & ~(BLOCK - 1);
  const blocks = <usize>(cap / BLOCK) + 1;
  const b = <usize>max<i32>(bias, 1),
    h = <usize>max<i32>(history, 1),
    s = <usize>max<i32>(sequences, 1),
    t = <usize>max<i32>(tokens, 1),
    u = <usize>max<i32>(edited, 1) + <usize>XTC_BANS;
  const vec = (<usize>cap) << 2;
  let p = align(VIEW + ((<usize>view) << 2));
  const input = p;
  p = align(p + vec);
  const stage = p;
  p = align(p + vec);
  const mask = p;
  p = align(p + (vec >> 5) + 4);
  const seen = p;
  p = align(p + vec);
  const recorded = p;
  p = align(p + (vec >> 5));
  const bmax = p;
  p = align(p + (blocks << 4));
  const bcum = p;
  p = align(p + (blocks << 3));
  const bmass = p;
  p = align(p + (blocks << 3));
  const emax = p;
  p = align(p + (blocks << 4));
  const list = p;
  p = align(p + vec + ((<usize>BLOCK) << 2));
  const xl = p;
  p = align(p + vec + ((<usize>BLOCK) << 2));
  const ee = p;
  p = align(p + vec + ((<usize>BLOCK) << 2));
  const zz = p;
  p = align(p + vec + ((<usize>BLOCK) << 2));
  const ak = p;
  p = align(p + vec + ((<usize>BLOCK) << 2));
  const am = p;
  p = align(p + vec + ((<usize>BLOCK) << 2));
  const ai = p;
  p = align(p + vec + ((<usize>BLOCK) << 2));
  const kmass = p;
  p = align(p + (blocks << 3));
  const amass = p;
  p = align(p + (blocks << 3));
  const biasIds = p;
  p = align(p + (b << 2));
  const biasVals = p;
  p = align(p + (b << 2));
  const hist = p;
  p = align(p + (h << 2));
  const repeats = p;
  p = align(p + (h << 2));
  const seqTokens = p;
  p = align(p + (t << 2));
  const seqEnds = p;
  p = align(p + (s << 2));
  const seqVals = p;
  p = align(p + (s << 2));
  const undoIds = p;
  p = align(p + (u << 2));
  const undoVals = p;
  p = align(p + (u << 2));
  if (commit) {
    CAP = cap;
    INPUT = input;
    STAGE = stage;
    MASK = mask;
    SEEN = seen;
    RECORDED = recorded;
    BMAX = bmax;
    BCUM = bcum;
    BMASS = bmass;
    EMAX = emax;
    LIST = list;
    XL = xl;
    E = ee;
    DRAFT_Q = ee;
    Z = zz;
    AK = ak;
    AM = am;
    AI = ai;
    KMASS = kmass;
    AMASS = amass;
    BIAS_IDS = biasIds;
    BIAS_VALS = biasVals;
    HISTORY = hist;
    REPEATS = repeats;
    SEQ_TOKENS = seqTokens;
    SEQ_ENDS = seqEnds;
    SEQ_VALS = seqVals;
    UNDO_IDS = undoIds;
    UNDO_VALS = undoVals;
    END = p;
  }
  return p;
}
