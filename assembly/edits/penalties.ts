// Repetition (Hugging Face), presence and frequency (OpenAI) penalties over the latest `window`
// tokens of HISTORY: a seen token's logit is divided by the repetition penalty when positive,
// multiplied when negative, then lowered by count·frequency + presence.
import { F_PROBS, P_FLAGS, P_HISTORY_COUNT, P_N, P_SRC, ST_PENALTIES } from '../abi';
import { getI32, param } from '../block';
import { logMass } from '../input';
import { HISTORY } from '../layout';
import { NUMBER, seen, setSeen } from './seen';
import { Undo } from './undo';

export function applyPenalties(x: usize, undo: bool): void {
  const window = <i32>param(ST_PENALTIES, 3);
  if (window == 0) return;
  const from = HISTORY + ((<usize>(getI32(P_HISTORY_COUNT) - window)) << 2);
  // Probability input: the logits are ln p of whatever scale the caller's p have, and dividing
  // or multiplying ln p depends on that scale (its sign, even). The repetition penalty acts on
  // ln(p/Σp) instead — ln p less ln Σp — so the result is the same for p and k·p. The rest of
  // the chain is unchanged by adding one constant to every logit, so only this edit needs it.
  const probs = (getI32(P_FLAGS) & F_PROBS) != 0 && param(ST_PENALTIES, 0) != 1;
  const shift = probs ? logMass(<usize>getI32(P_SRC), getI32(P_N)) : 0;
  // Count each token's occurrences in SEEN, then edit each distinct token once, at its first
  // occurrence, and clear its count: O(window), and the counts are all zero again afterwards.
  for (let k = 0; k < window; k++) {
    const id = load<i32>(from + ((<usize>k) << 2));
    setSeen(id, seen(id) + 1);
  }
  for (let k = 0; k < window; k++) {
    const id = load<i32>(from + ((<usize>k) << 2));
    const mark = seen(id);
    const count = mark & NUMBER;
    if (count == 0) continue;
    setSeen(id, mark & ~NUMBER);
    const before = load<f32>(x + ((<usize>id) << 2));
    Undo.put(x, id, before, probs ? penalisedProb(before, count, shift) : penalised(before, count), false, undo);
  }
}

/** The penalties on a logit, in float32 (the order of operations is part of the results). */
function penalised(before: f32, count: i32): f32 {
  const rep = <f32>param(ST_PENALTIES, 0),
    presence = <f32>param(ST_PENALTIES, 1),
    frequency = <f32>param(ST_PENALTIES, 2);
  let v = before;
  if (rep != 1) v = v > 0 ? v / rep : v * rep;
  return v - (<f32>count * frequency + presence);
}

/** The penalties on ln p, applied to ln(p/Σp) = ln p − shift in float64, rounded once. */
function penalisedProb(before: f32, count: i32, shift: f64): f32 {
  const rep = param(ST_PENALTIES, 0);
  let v = <f64>before - shift;
  if (rep != 1) v = v > 0 ? v / rep : v * rep;
  v -= <f64>count * param(ST_PENALTIES, 2) + param(ST_PENALTIES, 1);
  return <f32>(v + shift);
}
