// The "Use with…" section shows code that tests run: every fenced block in it names a file
// (```js path/to/file) whose content it is, character for character, and every file the runtime
// tests run (test/support/snippets.ts) is shown.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SNIPPET_DOCS, SNIPPETS } from '../support/snippets.js';

const REPO = new URL('../..', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, REPO), 'utf8');

/** The text from the "## Use with" heading to the next heading of the same level. */
function section(markdown: string): string {
  const start = markdown.search(/^## Use with/m);
  if (start < 0) throw new Error('no "## Use with…" heading');
  const rest = markdown.slice(start + 3);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Fenced blocks: info string and body. */
function blocks(markdown: string): { info: string; body: string }[] {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ info: m[1]!.trim(), body: m[2]! }));
}

describe.each(SNIPPET_DOCS)('%s, section "Use with…"', (doc) => {
  const found = blocks(section(read(doc)));

  it('shows every snippet file, and nothing else', () => {
    const files = found.map((b) => b.info.split(/\s+/)[1]);
    expect(
      files.every((f) => f !== undefined),
      'each block names its file: ```js path',
    ).toBe(true);
    expect(new Set(files)).toEqual(new Set(Object.values(SNIPPETS)));
  });

  it.each(Object.values(SNIPPETS))('shows %s verbatim', (file) => {
    const block = found.find((b) => b.info.split(/\s+/)[1] === file);
    expect(block?.body).toBe(read(file));
  });
});
