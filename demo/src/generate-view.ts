// "Generate": the tiny model writes text one character at a time, each drawn by sample() with
// the sliders' settings at that moment, so moving a slider changes the text from the next
// character on. The seed is shown; generating again with it (and the sliders where they were)
// writes the same text, on any backend and any machine.
import type { Sampler, SamplingParams } from 'logit-sampler';
import { loadTinyModel } from './tiny-model.js';

export class GenerateView {
  private readonly prompt = document.getElementById('gen-prompt') as HTMLInputElement;
  private readonly seed = document.getElementById('gen-seed') as HTMLInputElement;
  private readonly length = document.getElementById('gen-length') as HTMLSelectElement;
  private readonly pace = document.getElementById('gen-pace') as HTMLSelectElement;
  private readonly button = document.getElementById('gen-run') as HTMLButtonElement;
  private readonly output = document.getElementById('gen-output')!;
  private readonly status = document.getElementById('gen-status')!;
  private run: { stop: boolean } | undefined;

  constructor(
    private readonly sampler: Sampler,
    private readonly params: () => SamplingParams,
  ) {
    this.button.addEventListener('click', () => {
      if (this.run)
        this.run.stop = true; // the button says "Stop" while a run is going
      else void this.generate();
    });
    document.getElementById('gen-new-seed')!.addEventListener('click', () => {
      this.seed.value = String(crypto.getRandomValues(new Uint32Array(1))[0]);
    });
  }

  private async generate(): Promise<void> {
    const seed = Number(this.seed.value);
    if (!Number.isSafeInteger(seed) || seed < 0) {
      this.status.textContent = `The seed must be an integer ≥ 0, got “${this.seed.value}”.`;
      return;
    }
    const run = { stop: false };
    this.run = run;
    this.button.textContent = 'Stop';
    this.output.dataset.state = 'running';
    try {
      this.status.textContent = 'Loading onnxruntime-web and the model…';
      const model = await loadTinyModel();
      const prompt = model.encode(this.prompt.value || ' ');
      const steps = Number(this.length.value);
      const delay = Number(this.pace.value);
      this.sampler.reseed(seed);
      const promptEl = Object.assign(document.createElement('span'), {
        className: 'prompt',
        textContent: model.decode(prompt),
      });
      const textEl = document.createElement('span');
      this.output.replaceChildren(promptEl, textEl);
      const tokens: number[] = [];
      let last = prompt.at(-1)!;
      let modelMs = 0;
      let samplerMs = 0;
      for (let step = 0; step < steps && !run.stop; step++) {
        const t0 = performance.now();
        const logits = await model.next(last);
        const t1 = performance.now();
        last = this.sampler.sample(logits, this.params());
        samplerMs += performance.now() - t1;
        modelMs += t1 - t0;
        tokens.push(last);
        textEl.textContent += model.decode([last]);
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      }
      const us = (ms: number) => ((1000 * ms) / Math.max(tokens.length, 1)).toFixed(0);
      this.status.textContent =
        `Seed ${seed}, ${tokens.length} characters (V = ${model.V}), sampler backend ${this.sampler.backend}: ` +
        `model ${us(modelMs)} µs and sampler ${us(samplerMs)} µs per character.` +
        (run.stop ? ' Stopped.' : ' Press Generate again: the same seed writes the same text.');
      this.output.dataset.tokens = JSON.stringify(tokens);
      this.output.dataset.seed = String(seed);
      this.output.dataset.state = run.stop ? 'stopped' : 'done';
    } catch (e) {
      this.status.textContent = `Generation failed: ${(e as Error).message}`;
      this.output.dataset.state = 'failed';
      throw e;
    } finally {
      this.run = undefined;
      this.button.textContent = 'Generate';
    }
  }
}
