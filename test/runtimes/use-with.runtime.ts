// The README's "Use with…" programs (test/support/snippets.ts), run by Node as a user runs them:
// from a project with the tarball installed, the tiny model next to them. transformers.js and
// onnxruntime come from this repository's node_modules (linked in: the same registry packages a
// user installs). All of them print the same text: same logits, same seed, same tokens.
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { SNIPPETS } from '../support/snippets.js';
import { REPO } from './lib/paths.js';
import { run } from './lib/proc.js';

const { consumer } = inject('runtimes');
const PROMPT = 'A temperatura ';
const NEW_TOKENS = 80;

beforeAll(async () => {
  for (const pkg of ['@huggingface/transformers', 'onnxruntime-node', 'onnxruntime-web']) {
    const link = join(consumer, 'node_modules', pkg);
    await mkdir(join(link, '..'), { recursive: true });
    await symlink(join(REPO, 'node_modules', pkg), link, 'dir').catch((e) => {
      if (e.code !== 'EEXIST') throw e;
    });
  }
  await cp(join(REPO, 'examples/tiny-model'), join(consumer, 'examples/tiny-model'), { recursive: true });
  for (const file of Object.values(SNIPPETS)) {
    if (file.endsWith('.mjs')) await cp(join(REPO, file), join(consumer, file));
  }
  // The onnxruntime program with the web package: the README says the code is the same.
  const node = await readFile(join(REPO, SNIPPETS.onnxruntime), 'utf8');
  const web = node.replace("from 'onnxruntime-node'", "from 'onnxruntime-web'");
  expect(web).not.toBe(node);
  await writeFile(join(consumer, 'examples/use-with/onnxruntime-web.mjs'), web);
});

const runProgram = (file: string) => run(process.execPath, [file], { cwd: consumer, timeoutMs: 60_000 });

describe('"Use with…" programs', () => {
  it('transformers.js, onnxruntime-node, onnxruntime-web and the hand-written loop print the same text', async () => {
    const outputs = {
      transformers: await runProgram(SNIPPETS.transformers),
      onnxruntimeNode: await runProgram(SNIPPETS.onnxruntime),
      onnxruntimeWeb: await runProgram('examples/use-with/onnxruntime-web.mjs'),
      handWritten: await runProgram(SNIPPETS.handWritten),
    };
    const text = outputs.handWritten;
    expect(text.startsWith(PROMPT)).toBe(true);
    expect([...text.trimEnd()]).toHaveLength([...PROMPT].length + NEW_TOKENS);
    expect(outputs).toEqual({ transformers: text, onnxruntimeNode: text, onnxruntimeWeb: text, handWritten: text });
  });

  it('a batch of n completions: completion i is what a sampler seeded i draws for it alone', async () => {
    // The hand-written loop with seed i and 40 tokens prints completion i, token for token
    // (compared whole: a completion may itself hold a newline or end in a space).
    const loop = await readFile(join(REPO, SNIPPETS.handWritten), 'utf8');
    const singles: string[] = [];
    for (const seed of [1, 2, 3]) {
      const single = loop.replace('seed: 42', `seed: ${seed}`).replace('step < 80', 'step < 40');
      expect(single).not.toBe(loop);
      const file = `examples/use-with/single-${seed}.mjs`;
      await writeFile(join(consumer, file), single);
      singles.push(await runProgram(file));
    }
    expect(new Set(singles).size).toBe(3);
    expect(await runProgram(SNIPPETS.batch)).toBe(singles.join(''));
  });

  it('speculative decoding prints 80 new tokens and how many draft tokens it accepted', async () => {
    const out = (await runProgram(SNIPPETS.speculative)).trimEnd();
    // The text itself may hold newlines: the count is the last line.
    const text = out.slice(0, out.lastIndexOf('\n'));
    expect(out.slice(text.length + 1)).toMatch(/^accepted \d+ of \d+ draft tokens$/);
    expect(text.startsWith(PROMPT)).toBe(true);
    expect([...text]).toHaveLength([...PROMPT].length + NEW_TOKENS);
  });

  it('logit-sampler/transformers resolves from the tarball for import and require', async () => {
    const esm = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('logit-sampler/transformers'); console.log(import.meta.resolve('logit-sampler/transformers'), typeof m.samplerProcessor)",
      ],
      { cwd: consumer },
    );
    expect(esm.trim()).toBe(`file://${join(consumer, 'node_modules/logit-sampler/dist/transformers.js')} function`);
    const cjs = await run(
      process.execPath,
      [
        '-e',
        "console.log(require.resolve('logit-sampler/transformers'), typeof require('logit-sampler/transformers').samplerProcessor)",
      ],
      { cwd: consumer },
    );
    expect(cjs.trim()).toBe(`${join(consumer, 'node_modules/logit-sampler/dist/transformers.cjs')} function`);
  });
});
