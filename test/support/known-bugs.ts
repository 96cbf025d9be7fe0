// Kernel bugs these tests found and the lead has yet to fix. A test that meets one runs as
// `test.fails` — it must keep failing until the fix lands, and then vitest reports it, so the
// entry here is deleted in the fixing commit. Temporary by design: never a skip.
import type { Params } from './reference.js';

/** How a call hands over its logits, and what it asks for. */
export interface CallShape {
  /** sampleDetailed with logprobs: 'raw'. */
  raw?: boolean;
  /** 'view': a logitsView() or part of one; 'float32': another Float32Array; 'converted': a
   *  number[] or Float64Array (converted into the backend's stage). Default 'float32'. */
  input?: 'view' | 'float32' | 'converted';
  /** The logits, for bugs that depend on them. */
  logits?: ArrayLike<number>;
  /** The sampler has run other calls before this one (bugs of state left behind). */
  afterOtherCalls?: boolean;
}

export interface KnownBug {
  /** What goes wrong, precisely enough to reproduce. */
  summary: string;
  /** Whether a call with these params on this backend meets the bug. */
  affects(backend: string, params: Params, call: CallShape): boolean;
}

export const KNOWN_BUGS: Record<string, KnownBug> = {};

/** How `x` reaches the backend. */
export function inputOf(x: unknown): CallShape['input'] {
  return x instanceof Float32Array ? 'float32' : 'converted';
}

/** The known bugs a call meets (empty when none). */
export function bugsMet(backend: string, params: Params, call: CallShape = {}): string[] {
  return Object.entries(KNOWN_BUGS)
    .filter(([, b]) => b.affects(backend, params, call))
    .map(([name]) => name);
}
