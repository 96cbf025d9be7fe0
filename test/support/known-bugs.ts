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
}

export interface KnownBug {
  /** What goes wrong, precisely enough to reproduce. */
  summary: string;
  /** Whether a call with these params on this backend meets the bug. */
  affects(backend: string, params: Params, call: CallShape): boolean;
}

export const KNOWN_BUGS: Record<string, KnownBug> = {
  rawFromStage: {
    summary:
      "wasm-simd/wasm: sampleDetailed(..., { logprobs: 'raw' }) reads the staged copy after the pipeline has " +
      'transformed it (mask, bias, penalties, ln of probabilities, the rescale for a temperature above ~1.9e36 ' +
      'or a largest logit below 2^-100), so raw ' +
      'logprobs are those of the processed logits; only a logitsView input is right (assembly/index.ts raw() ' +
      'reads src, which is STAGE for a copied input).',
    affects: (backend, params, call) =>
      backend !== 'js' &&
      call.raw === true &&
      call.input !== 'view' &&
      (params.allowed !== undefined ||
        params.logitBias !== undefined ||
        params.input === 'probs' ||
        penalised(params) ||
        rescaled(params, call.logits)),
  },
  dynamicRunsTwice: {
    summary:
      'dynamicTemperature runs the pipeline twice (MODE_STATS, then the draw) over the staged input, which the ' +
      'first run transformed in place. wasm-simd/wasm, any input but a logitsView: logitBias and penalties are ' +
      'applied twice (s.probs(new Float32Array(4), { logitBias: { 0: 1 }, dynamicTemperature: { min: 1, max: 1 } }) ' +
      'gives p0 = 0.7112 = e²/(e² + 3) instead of 0.4754 = e/(e + 3); repetition penalty squared), and input ' +
      "'probs' throws \"logits[0] is 0.25; with input 'probs' every entry must be a finite probability ≥ 0\" (the " +
      "stage holds ln p) or 'every token is masked'; logits whose maximum is below 2^-100 are rescaled by 2^64 " +
      'twice (logprob and entropy differ from js). js: the same probs error for a number[] or Float64Array.',
    affects: (backend, params, call) =>
      params.dynamicTemperature !== undefined &&
      ((backend !== 'js' &&
        call.input !== 'view' &&
        (params.logitBias !== undefined ||
          params.input === 'probs' ||
          penalised(params) ||
          rescaled({ ...params, temperature: 1, dynamicTemperature: undefined }, call.logits))) ||
        (backend === 'js' && call.input === 'converted' && params.input === 'probs')),
  },
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
  viewDetachedByEdits: {
    summary:
      'wasm-simd/wasm: a logitsView() passed to a call whose logitBias + history window holds more entries than ' +
      'the edit room reserved so far (e.g. logitsView(128256) with a 5,000-entry bias and a 256-token history, ' +
      'or logitsView(4099) with 4,000 entries) is detached by the memory growth reserve() does before place() ' +
      "reads it: the call throws V8's raw TypeError 'Cannot perform %TypedArray%.prototype.set on a detached " +
      "ArrayBuffer' and the caller's view is gone (src/sampler.ts #prepare → src/backend/wasm.ts reserve/place).",
    affects: (backend, params, call) => backend !== 'js' && call.input === 'view' && editCount(params) > 0,
  },
};

/** Whether the kernels rescale the logits (assembly/index.ts C_HUGE_T, M_TINY): a temperature
 *  above log2(e)·2^120, or a largest processed logit below 2^-100 in magnitude. Unknown logits:
 *  assume not. */
function rescaled(params: Params, logits: ArrayLike<number> | undefined): boolean {
  if (
    (params.temperature ?? 1) > Math.LOG2E * 2 ** 120 ||
    (params.dynamicTemperature?.max ?? 0) > Math.LOG2E * 2 ** 120
  ) {
    return true;
  }
  if (logits === undefined) return false;
  try {
    const x = reference(logits, { ...params, temperature: 1, dynamicTemperature: undefined }).x;
    let m = -Infinity;
    for (const v of x) if (v > m) m = v;
    return Math.abs(m) < 2 ** -100;
  } catch {
    return false;
  }
}

/** Whether a penalty is on and has tokens to act on. */
function penalised(params: Params): boolean {
  return (
    (params.history?.length ?? 0) > 0 &&
    (params.penaltyLastN ?? 1) > 0 &&
    ((params.repetitionPenalty ?? 1) !== 1 ||
      (params.presencePenalty ?? 0) !== 0 ||
      (params.frequencyPenalty ?? 0) !== 0)
  );
}

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
