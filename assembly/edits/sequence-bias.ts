// Hugging Face's sequence bias: each entry's value is added to the logit of its sequence's last
// token when the history ends with the rest of the sequence (a one-token sequence: always).
// Entries that name the same token add up.
import { P_SEQ_BIAS_COUNT } from '../abi';
import { getI32 } from '../block';
import { completes, seqEnd, seqToken, seqValue } from './sequences';
import { Undo } from './undo';

export function applySequenceBias(x: usize, undo: bool): void {
  const count = getI32(P_SEQ_BIAS_COUNT);
  for (let j = 0; j < count; j++) {
    if (!completes(j)) continue;
    const id = seqToken(seqEnd(j) - 1);
    const before = load<f32>(x + ((<usize>id) << 2));
    Undo.put(x, id, before, before + seqValue(j), false, undo);
  }
}
