// The default vocabulary: the 20-word example of reference notebook 004 (a Chinese Jupyter
// notebook on temperature sampling, /work/shared/reference/004_06f4d767fdfdc47c.txt, section 6
// "实际应用：文本生成示例"), copied here because CI has no shared/ folder. The notebook defines
// `vocabulary` and `simulated_logits` ("'the' and 'a' assumed most likely") and samples them at
// T = 0.2, 1 and 2 against the theoretical probabilities, which is what this page does live.
//
// What to know about the source, checked against its text:
// - After sections 1–2 its cells are stored in reverse order (section 7 first, each heading
//   after its code, the helper functions last), so the notebook does not run top to bottom,
//   and its entropy cell uses a `logits` of `np.random.randn(20) * 2` from another cell, not
//   these logits: its entropy plot is of a different, random distribution. The curves on this
//   page are of the distribution shown above them.
// - It has no stored outputs, so there are no worked numbers to copy; every number the page
//   shows is computed (probs() in float32, entropy and the curves summed in float64).
// - Four logit values occur twice (0.8: are/with, 0.6: runs/in, 0.4: happy/or, 0.3:
//   quickly/without): exact ties, which top-k keeps together at the boundary.
// - Its entropy adds 1e-10 inside the log and its "reweighting" form adds 1e-10 to p before
//   the log, so its "two methods agree" check differs by ~1e-10, not 0; harmless.

/** The notebook's words, in its order (token id = index). */
export const NOTEBOOK_WORDS: readonly string[] = [
  'the',
  'a',
  'is',
  'are',
  'cat',
  'dog',
  'beautiful',
  'runs',
  'quickly',
  'slowly',
  'happy',
  'sad',
  'very',
  'extremely',
  'and',
  'but',
  'or',
  'with',
  'without',
  'in',
];

/** The notebook's `simulated_logits`, one per word. */
export const NOTEBOOK_LOGITS: readonly number[] = [
  3.0, 2.5, 1.0, 0.8, 1.5, 1.2, 0.5, 0.6, 0.3, 0.2, 0.4, 0.1, 0.7, 0.0, 1.1, 0.9, 0.4, 0.8, 0.3, 0.6,
];
