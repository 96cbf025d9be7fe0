// Kernel bugs these tests found and the lead has yet to fix. A test that meets one runs as
// `test.fails` — it must keep failing until the fix lands, and then vitest reports it, so the
// entry here is deleted in the fixing commit. Temporary by design: never a skip.
import { type Params, reference } from './reference.js';

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

export const KNOWN_BUGS: Record<string, KnownBug> = {
  hugeTemperatureTinyMax: {
    summary:
      'wasm-simd/wasm: a temperature in about (1.1e26, 1.9e36) when the largest processed logit is below 2^-100 in ' +
      'magnitude (all-zero logits; probability input whose largest p is 1): probs() is all NaN and sample() ' +
      'returns 63, a token past the vocabulary (s.probs([0, -1], { temperature: 1e30 }) → [NaN, NaN], ' +
      's.sample([0], { temperature: 1e30 }) → 63; js gives [0.5, 0.5] and 0). The rescale by 2^64 for a tiny ' +
      'maximum divides c = log2(e)/T by 2^64, which underflows to 0, and (−Infinity − m)·0 in the padded tail ' +
      'is NaN.',
    affects: (backend, params, call) => {
      if (backend === 'js' || call.logits === undefined) return false;
      const d = params.dynamicTemperature;
      const T = params.temperature ?? 1;
      if (!(T > 1e26 && T < 2e36) && !(d !== undefined && d.max > 1e26)) return false;
      try {
        const x = reference(call.logits, { ...params, temperature: 1, dynamicTemperature: undefined }).x;
        let m = -Infinity;
        for (const v of x) if (v > m) m = v;
        return Math.abs(m) < 2 ** -100;
      } catch {
        return false;
      }
    },
  },
  jsRescaledMax: {
    summary:
      'js ≠ wasm: with a temperature above ~1.9e36 the kernels halve the logits; the js backend halves the ' +
      'maximum in float64 (m *= s in src/backend/js/index.ts) while the halved logits are float32, so a ' +
      'subnormal maximum that rounds (5·2^-149 → 2·2^-149) gets z = −0 in js and +0 in WASM, and the top ' +
      'logprobs order differs: x = [2^-149, 5·2^-149, 2^-149], temperature 1e38, topLogprobs 3 → wasm-simd/wasm ' +
      '[1, 0, 2], js [0, 1, 2].',
    affects: (backend, params, call) => {
      if (backend !== 'js' || call.logits === undefined) return false;
      const huge = Math.LOG2E * 2 ** 120;
      if (!((params.temperature ?? 1) > huge || (params.dynamicTemperature?.max ?? 0) > huge)) return false;
      try {
        const x = reference(call.logits, { ...params, temperature: 1, dynamicTemperature: undefined }).x;
        let m = -Infinity;
        for (const v of x) if (v > m) m = v;
        return m !== 0 && Math.abs(m) < 2 ** -125;
      } catch {
        return false;
      }
    },
  },
  staleMassSelection: {
    summary:
      'wasm-simd/wasm: state a call leaves behind breaks a later one. x = Float32Array(600) with x[300] = 100 ' +
      '(one live weight, the rest flushed to 0): s.sample(x, { typicalP: 0.5 }) → 300; s.probs([0, 1, 2], ' +
      '{ topP: 0.9 }); s.sample(x, { typicalP: 0.5 }) → −1 and s.probs(x, { typicalP: 0.5 }) is all 0 ' +
      '(js: 300 and 1). Needs n ≳ 600 and the first call; found by the shared-sampler parity property ' +
      '(n = 5120, temperature 1e-30, typicalP 1e-9 after a 9-token call with temperature 1e38, typicalP ≈ 1).',
    affects: (backend, _params, call) => backend !== 'js' && call.afterOtherCalls === true,
  },
  viewDetachedByEdits: {
    summary:
      'wasm-simd/wasm: a logitsView() passed to a call whose logitBias + history window holds more entries than ' +
      'the edit room reserved so far (logitsView(4099) with a 4,000-entry bias; logitsView(128256) with a ' +
      '5,000-entry bias and a 256-token history) is detached by the memory growth the call makes: the call ' +
      "itself now answers right (the wrapper re-derives the view), but the caller's view reads length 0 " +
      'afterwards, although the vocabulary did not grow (documented: only a larger vocabulary detaches views).',
    affects: (backend, params, call) => backend !== 'js' && call.input === 'view' && editCount(params) > 0,
  },
};

/** Entries of the bias plus tokens of the history window. */
function editCount(params: Params): number {
  const bias = params.logitBias;
  let count = 0;
  if (bias instanceof Map) count = bias.size;
  else if (bias && 'ids' in bias && ArrayBuffer.isView(bias.ids)) count = bias.ids.length;
  else if (bias) count = Object.keys(bias).length;
  const h = params.history?.length ?? 0;
  return count + Math.min(h, params.penaltyLastN ?? h);
}

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
