// The page's wiring: one sampler computes every distribution shown (probs() draws no random
// number, so it has no seed to speak of), one draws "Draw N", one writes the generated text.
// Slider moves are coalesced to one redraw per frame.
import { createSampler, type SamplingParams } from 'logit-sampler';
import { BenchView } from './bench-view.js';
import { Controls } from './controls.js';
import { type Curve, curveOverT } from './curves.js';
import { CurvesView } from './curves-view.js';
import { type Distributions, DistributionView } from './distribution-view.js';
import { DrawView } from './draw-view.js';
import { GenerateView } from './generate-view.js';
import { type Source, SourcePicker } from './source.js';
import { unmaskedCount } from './stats.js';

async function main(): Promise<void> {
  const [view, drawer, writer] = await Promise.all([
    createSampler({ seed: 0 }),
    createSampler({ seed: 0 }),
    createSampler({ seed: 0 }),
  ]);
  const probs = (logits: Float32Array, params: SamplingParams, out?: Float32Array) => view.probs(logits, params, out);

  const dist = new DistributionView();
  const curves = new CurvesView();
  let base: Float32Array;
  let truncationKey = '';
  let curveTimer: ReturnType<typeof setTimeout> | undefined;

  const controls = new Controls(() => schedule());
  const picker = new SourcePicker((s) => {
    setSource(s);
    schedule();
  });

  function setSource(s: Source): void {
    base = probs(s.logits, {});
    controls.setVocabularySize(s.logits.length);
    draws.setVocabularySize(s.logits.length);
    curves.setBase(curveOverT(probs, s.logits, {}), unmaskedCount(s.logits));
    truncationKey = '';
  }

  let frame = 0;
  function schedule(): void {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      render();
    });
  }

  function render(): void {
    const source = picker.current();
    const params = controls.params();
    const T = controls.temperature();
    const current: Distributions = {
      base,
      tempered: probs(source.logits, { temperature: T }),
      final: probs(source.logits, params),
    };
    dist.update(source, current, T);
    // The truncated curves depend on top-k/top-p/min-p only: recomputed when those move. At
    // V in the 100 thousands that is 100 probs() calls, a fraction of a second: done once the
    // slider rests, so that the bars follow a drag without waiting for the curves.
    const { temperature: _, ...rest } = params;
    const key = JSON.stringify(rest);
    if (key !== truncationKey) {
      truncationKey = key;
      clearTimeout(curveTimer);
      const truncate = () => {
        const truncated: Curve | undefined = controls.truncates() ? curveOverT(probs, source.logits, rest) : undefined;
        curves.setTruncated(truncated);
        curves.mark(controls.temperature());
      };
      if (source.logits.length <= 4096) truncate();
      else curveTimer = setTimeout(truncate, 150);
    }
    curves.mark(T);
    draws.invalidate();
    document.body.dataset.rendered = JSON.stringify(params);
  }

  // Read at the click, not from the last frame: a slider moved since must not pair new params
  // with an old distribution in the chi-square test.
  const draws = new DrawView(drawer, () => {
    const source = picker.current();
    const params = controls.params();
    return { source, params, final: probs(source.logits, params) };
  });
  new GenerateView(writer, () => controls.params());
  const bench = new BenchView(() => controls.params());

  setSource(picker.current());
  render();
  await bench.explainAuto();
  document.body.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  const el = document.getElementById('fatal')!;
  el.hidden = false;
  el.textContent = `The page failed to start: ${(e as Error)?.message ?? e}`;
  throw e;
});
