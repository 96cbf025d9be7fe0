// The files shown verbatim in the README's "Use with…" section. test/use-with.test.ts checks
// that each fenced block there is one of these files, character for character; the runtime
// tests run every one of them.
export const SNIPPETS = {
  transformers: 'examples/use-with/transformers.mjs',
  onnxruntime: 'examples/use-with/onnxruntime.mjs',
  handWritten: 'examples/use-with/hand-written-loop.mjs',
  batch: 'examples/use-with/batch.mjs',
  speculative: 'examples/use-with/speculative.mjs',
  worker: 'examples/cloudflare-worker/src/index.js',
} as const;

/** Markdown files whose "## Use with…" section must show exactly the snippets above. */
export const SNIPPET_DOCS = ['README.md'];
