// The editable vocabulary: one "word logit" pair per line, as a person would type it. Parsing
// fails with a message naming the line, so the page can keep the last good table and say why.

/** A vocabulary with one logit per token (token id = index). */
export interface Vocabulary {
  labels: string[];
  logits: Float32Array;
}

/** Renders a vocabulary as the textarea shows it. */
export function formatVocabulary(labels: readonly string[], logits: ArrayLike<number>): string {
  return labels.map((w, i) => `${w} ${logits[i]}`).join('\n');
}

/**
 * Parses "word logit" lines (blank lines ignored; the word is everything before the last
 * whitespace, so it may contain spaces; "-inf" masks a token).
 * @throws {SyntaxError} naming the first bad line
 */
export function parseVocabulary(text: string): Vocabulary {
  const labels: string[] = [];
  const values: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const m = /^(.*\S)\s+(\S+)$/.exec(line);
    const value = m ? parseLogit(m[2]!) : Number.NaN;
    if (!m || Number.isNaN(value)) {
      throw new SyntaxError(`line ${i + 1} (${JSON.stringify(line)}): expected a word, a space and a number`);
    }
    labels.push(m[1]!);
    values.push(value);
  }
  if (labels.length < 2) throw new SyntaxError(`need at least 2 words, got ${labels.length}`);
  if (labels.length > 1000) throw new SyntaxError(`at most 1000 words here, got ${labels.length}`);
  if (!values.some((v) => v > -Infinity)) throw new SyntaxError('every word is masked (-inf): nothing to sample');
  return { labels, logits: Float32Array.from(values) };
}

function parseLogit(s: string): number {
  if (/^[-−]inf(inity)?$/i.test(s)) return -Infinity;
  const v = Number(s.replace('−', '-'));
  return Number.isFinite(v) ? v : Number.NaN;
}
