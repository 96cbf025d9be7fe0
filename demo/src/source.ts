// Where the logits come from: the notebook's 20 words (editable), or an LM-like vector of
// size V from the benchmark's generator. The page shows at most SHOWN tokens of a large
// vocabulary: the ones with the largest logits, which hold nearly all the mass.
import { makeLogits } from '../../bench/logits.mjs';
import { NOTEBOOK_LOGITS, NOTEBOOK_WORDS } from './notebook-004.js';
import { topIndices } from './stats.js';
import { formatVocabulary, parseVocabulary } from './vocab-text.js';

/** How many tokens the charts and tables show of an LM-like vocabulary. */
export const SHOWN = 30;

/** The logits the page works on. */
export interface Source {
  /** A short description ("notebook 004, 20 words"). */
  name: string;
  logits: Float32Array;
  /** The token ids the charts show, in the order they show them. */
  shown: number[];
  /** The label of a token. */
  label(id: number): string;
}

export function notebookSource(labels: readonly string[], logits: Float32Array, edited: boolean): Source {
  return {
    name: `${edited ? 'your edit of ' : ''}notebook 004's example, ${labels.length} words`,
    logits,
    shown: Array.from({ length: logits.length }, (_, i) => i),
    label: (id) => labels[id]!,
  };
}

export function lmSource(V: number, seed: number): Source {
  const logits = makeLogits(V, 'lm', seed);
  return {
    name: `LM-like logits, V = ${V.toLocaleString('en-US')}, seed ${seed}`,
    logits,
    shown: topIndices(logits, SHOWN),
    label: (id) => `#${id}`,
  };
}

/** The source picker: notebook (with its editable text) or LM-like (V, seed). */
export class SourcePicker {
  private readonly text = document.getElementById('vocab') as HTMLTextAreaElement;
  private readonly error = document.getElementById('vocab-error')!;
  private readonly V = document.getElementById('lm-v') as HTMLSelectElement;
  private readonly seed = document.getElementById('lm-seed') as HTMLInputElement;
  private last: Source;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onChange: (s: Source) => void) {
    this.text.value = formatVocabulary(NOTEBOOK_WORDS, NOTEBOOK_LOGITS);
    this.last = notebookSource(NOTEBOOK_WORDS, Float32Array.from(NOTEBOOK_LOGITS), false);
    for (const r of document.querySelectorAll<HTMLInputElement>('input[name="source"]')) {
      r.addEventListener('change', () => this.pick());
    }
    this.text.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.pick(), 250);
    });
    document.getElementById('vocab-reset')!.addEventListener('click', () => {
      this.text.value = formatVocabulary(NOTEBOOK_WORDS, NOTEBOOK_LOGITS);
      this.pick();
    });
    this.V.addEventListener('change', () => this.pick());
    this.seed.addEventListener('change', () => this.pick());
  }

  current(): Source {
    return this.last;
  }

  private kind(): 'notebook' | 'lm' {
    return document.querySelector<HTMLInputElement>('input[name="source"]:checked')?.value === 'lm' ? 'lm' : 'notebook';
  }

  private pick(): void {
    const lm = this.kind() === 'lm';
    document.getElementById('source-notebook')!.hidden = lm;
    document.getElementById('source-lm')!.hidden = !lm;
    try {
      if (lm) {
        const seed = Number(this.seed.value);
        if (!Number.isInteger(seed) || seed < 0)
          throw new SyntaxError(`seed must be an integer ≥ 0, got ${this.seed.value}`);
        this.last = lmSource(Number(this.V.value), seed);
      } else {
        const v = parseVocabulary(this.text.value);
        const edited = this.text.value !== formatVocabulary(NOTEBOOK_WORDS, NOTEBOOK_LOGITS);
        this.last = notebookSource(v.labels, v.logits, edited);
      }
      this.error.textContent = '';
      this.text.removeAttribute('aria-invalid');
    } catch (e) {
      // Keep drawing the last good logits and say what is wrong with the new ones.
      this.error.textContent = (e as Error).message;
      if (!lm) this.text.setAttribute('aria-invalid', 'true');
      return;
    }
    this.onChange(this.last);
  }
}
