// The four sliders (temperature, top-k, top-p, min-p) and the params object they make. Native
// <input type="range"> elements, each with a <label> and an <output>: arrow keys, Page Up/Down
// and Home/End move them, and screen readers announce them, with no script of ours involved.
import type { SamplingParams } from 'logit-sampler';

function input(id: string): HTMLInputElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLInputElement)) throw new Error(`no <input id="${id}"> on the page`);
  return el;
}

function output(id: string): HTMLOutputElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLOutputElement)) throw new Error(`no <output id="${id}"> on the page`);
  return el;
}

const DEFAULTS = { temperature: '1', topK: '0', topP: '1', minP: '0' };

/** The sampling controls of the page. */
export class Controls {
  private readonly t = input('temperature');
  private readonly k = input('top-k');
  private readonly p = input('top-p');
  private readonly m = input('min-p');
  private readonly code = document.getElementById('params-code')!;

  constructor(onChange: () => void) {
    for (const el of [this.t, this.k, this.p, this.m]) {
      el.addEventListener('input', () => {
        this.show();
        onChange();
      });
    }
    document.getElementById('params-reset')!.addEventListener('click', () => {
      this.t.value = DEFAULTS.temperature;
      this.k.value = DEFAULTS.topK;
      this.p.value = DEFAULTS.topP;
      this.m.value = DEFAULTS.minP;
      this.show();
      onChange();
    });
    this.show();
  }

  /** The current settings, as options for probs()/sample(): only what is switched on. */
  params(): SamplingParams {
    const o: SamplingParams = { temperature: Number(this.t.value) };
    const k = Number(this.k.value);
    const p = Number(this.p.value);
    const m = Number(this.m.value);
    if (k > 0) o.topK = k;
    if (p < 1) o.topP = p;
    if (m > 0) o.minP = m;
    return o;
  }

  /** The current temperature alone (the curves' marker, the "before truncation" bars). */
  temperature(): number {
    return Number(this.t.value);
  }

  /** True when any of top-k, top-p or min-p is on. */
  truncates(): boolean {
    const o = this.params();
    return o.topK !== undefined || o.topP !== undefined || o.minP !== undefined;
  }

  /** The top-k slider reaches V (or 100 for large V: beyond that top-k changes little). */
  setVocabularySize(V: number): void {
    const max = Math.min(V, 100);
    this.k.max = String(max);
    if (Number(this.k.value) > max) this.k.value = String(max);
    this.show();
  }

  private show(): void {
    const o = this.params();
    output('temperature-out').value = o.temperature === 0 ? '0 (greedy)' : o.temperature!.toFixed(2);
    output('top-k-out').value = o.topK === undefined ? 'off' : String(o.topK);
    output('top-p-out').value = o.topP === undefined ? 'off' : o.topP.toFixed(2);
    output('min-p-out').value = o.minP === undefined ? 'off' : o.minP.toFixed(2);
    this.k.setAttribute('aria-valuetext', o.topK === undefined ? 'off' : String(o.topK));
    this.p.setAttribute('aria-valuetext', o.topP === undefined ? 'off' : String(o.topP));
    this.m.setAttribute('aria-valuetext', o.minP === undefined ? 'off' : String(o.minP));
    this.code.textContent = `sampler.probs(logits, ${JSON.stringify(o)
      .replace(/"(\w+)":/g, '$1: ')
      .replace(/,/g, ', ')})`;
  }
}
