// Repetition (Hugging Face), presence and frequency (OpenAI) penalties over the history window
// the host copied to HISTORY: a seen token's logit is divided by the repetition penalty when
// positive, multiplied when negative, then lowered by count·frequency + presence.
import { P_HISTORY_COUNT, ST_PENALTIES } from '../abi';
import { getI32, param } from '../block';
import { HISTORY, SEEN } from '../layout';
import { put } from './undo';

export function applyPenalties(x: usize, undo: bool): void {
  const h = getI32(P_HISTORY_COUNT);
  if (h == 0) return;
  const rep = <f32>param(ST_PENALTIES, 0),
    presence = <f32>param(ST_PENALTIES, 1),
    frequency = <f32>param(ST_PENALTIES, 2);
  // Count each token's occurrences in SEEN, then edit each distinct token once, at its first
  // occurrence, and clear its count: O(history), and SEEN is all zero again afterwards.
  for (let k = 0; k < h; k++) {
    const at = SEEN + ((<usize>load<i32>(HISTORY + ((<usize>k) << 2))) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
  for (let k = 0; k < h; k++) {
    const id = load<i32>(HISTORY + ((<usize>k) << 2));
    const at = SEEN + ((<usize>id) << 2);
    const count = load<i32>(at);
    if (count == 0) continue;
    store<i32>(at, 0);
    const before = load<f32>(x + ((<usize>id) << 2));
    let v = before;
    if (rep != 1) v = v > 0 ? v / rep : v * rep;
    v = v - (<f32>count * frequency + presence);
    put(x, id, before, v, false, undo);
  }
}
