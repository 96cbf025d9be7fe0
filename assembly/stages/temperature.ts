// Temperature: softmax(x / T), computed as e = 2^((x − max)·c) with c = log2(e)/T. T = 0 is
// greedy (c = 0: the argmax of the candidates). Dynamic temperature (llama.cpp's dynatemp)
// chooses T from the entropy H at T = 1 of the distribution the stage receives:
// T = min + (max − min)·(H / ln V′)^exponent, V′ its tokens. The logarithm and the power are the
// kernels' own (exp.ts), the same bits on every backend and engine: no host Math.* call decides
// a temperature, hence no token.
import { F_DYNAMIC, P_FLAGS, ST_TEMPERATURE } from '../abi';
import { getI32, param } from '../block';
import { lnd, powd } from '../exp';

/** c at T = 1, for the stages that run before the temperature. */
export const C1: f32 = <f32>Math.LOG2E;

/** The temperature of this call, and its c (float32, clamped) and c64 (float64, unclamped). */
export let temperature: f64 = 1;
export let c: f32 = C1;
export let c64: f64 = Math.LOG2E;

/** Before a call's chain: T = 1 until the temperature stage runs. */
export function resetTemperature(): void {
  temperature = 1;
  c = C1;
  c64 = Math.LOG2E;
}

/** Whether this call's temperature is chosen from the entropy. */
export function isDynamic(): bool {
  return (getI32(P_FLAGS) & F_DYNAMIC) != 0;
}

/** The fixed temperature of the slot. */
export function fixedTemperature(): f64 {
  return param(ST_TEMPERATURE, 0);
}

/**
 * The dynamic temperature for a distribution at T = 1 of mass Σe, Σ e·z = ez (z in log2
 * units) and `count` tokens: H = ln Σe − ln 2 · ez/Σe nats, normalised by ln count and clamped
 * to [0, 1]. One token or none: the minimum.
 */
export function dynamicTemperature(mass: f64, ez: f64, count: i32): f64 {
  const lo = param(ST_TEMPERATURE, 1),
    hi = param(ST_TEMPERATURE, 2),
    exponent = param(ST_TEMPERATURE, 3);
  if (count <= 1) return lo;
  const h = lnd(mass) - (Math.LN2 * ez) / mass;
  const normalized = min<f64>(1, max<f64>(0, h / lnd(<f64>count)));
  return lo + (hi - lo) * powd(normalized, exponent);
}

/**
 * Uses temperature t from here on. c is clamped so that (x − max)·c stays meaningful: the
 * largest float for a tiny T (a clean −Infinity below the maximum, 0 at it), the smallest
 * positive one for a huge T (masked tokens stay at −Infinity, since −Infinity · 0 would be
 * NaN), 0 for greedy. c64 keeps the exact value, for the rescale of extreme temperatures.
 */
export function setTemperature(t: f64): void {
  temperature = t;
  if (t == 0) {
    c = 0;
    c64 = 0;
    return;
  }
  c64 = Math.LOG2E / t;
  const f = <f32>c64;
  c = f == Infinity ? F32.MAX_VALUE : f == 0 ? reinterpret<f32>(1) : f;
}
