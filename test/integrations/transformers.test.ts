// logit-sampler/transformers inside transformers.js: the tiny model loaded from its local
// folder (no hub), generate() with samplerProcessor. The output replays from the seed, equals a
// hand-written loop over the same logits, and honours top-p, which transformers.js alone does not.
import { fileURLToPath } from 'node:url';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  LogitsProcessorList,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  random,
  Tensor,
} from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { samplerProcessor } from '../../src/transformers.js';
import { loadTable, MODEL_DIR, softmax, type TinyModel } from '../support/tiny-model.js';

env.allowRemoteModels = false;
env.localModelPath = fileURLToPath(new URL('..', MODEL_DIR));
const MODEL_ID = 'tiny-model';

let tokenizer: PreTrainedTokenizer;
let model: PreTrainedModel;
let table: TinyModel;

beforeAll(async () => {
  tokenizer = await AutoTokenizer.from_pretrained(MODEL_ID);
  model = await AutoModelForCausalLM.from_pretrained(MODEL_ID, { dtype: 'fp32' });
  table = await loadTable();
});

const PROMPT = 'A temperatura ';

/** Token ids generate() produced after the prompt. */
async function run(options: Record<string, unknown>, maxNewTokens = 50): Promise<number[]> {
  const inputs = tokenizer(PROMPT);
  const out = (await model.generate({ ...inputs, max_new_tokens: maxNewTokens, ...options })) as Tensor;
  const ids = (out.tolist() as bigint[][])[0]!.map(Number);
  expect(ids.slice(0, PROMPT.length)).toEqual(tokenizer.encode(PROMPT));
  return ids.slice(PROMPT.length);
}

/** generate() with a fresh sampler from `seed` drawing through the processor. */
async function withSampler(seed: number, params: SamplingParams, maxNewTokens = 50, doSample = false) {
  const sampler = await createSampler({ seed });
  const processors = new LogitsProcessorList();
  processors.push(samplerProcessor(sampler, params));
  return run({ do_sample: doSample, logits_processor: processors }, maxNewTokens);
}

/** Does token t lie in the top-p nucleus of softmax(row): the smallest prefix by probability
 *  (descending) whose mass reaches p? Float64, so no boundary case is close in this model. */
function inNucleus(row: Float32Array, t: number, p: number): boolean {
  const q = softmax(row);
  const order = [...q.keys()].sort((a, b) => q[b]! - q[a]! || a - b);
  let mass = 0;
  for (const i of order) {
    if (i === t) return true;
    mass += q[i]!;
    if (mass >= p) return false;
  }
  return false;
}

describe('samplerProcessor in transformers.js generate()', () => {
  it('loads the locally built model: its logits are the table rows', async () => {
    const ids = tokenizer.encode('ab');
    const out = await model({
      input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, 2]),
      attention_mask: new Tensor('int64', new BigInt64Array(2).fill(1n), [1, 2]),
    });
    expect(Array.from(out.logits.data.subarray(table.V))).toEqual(Array.from(table.row(ids[1]!)));
  });

  it('replays from the seed; another seed gives other text', async () => {
    const params = { temperature: 1, topP: 0.95 };
    const a = await withSampler(11, params);
    expect(a).toHaveLength(50);
    expect(await withSampler(11, params)).toEqual(a);
    expect(await withSampler(12, params)).not.toEqual(a);
    // One sampler reseeded between requests replays too.
    const sampler = await createSampler({ seed: 0 });
    const processors = new LogitsProcessorList();
    processors.push(samplerProcessor(sampler, params));
    sampler.reseed(11);
    expect(await run({ do_sample: false, logits_processor: processors })).toEqual(a);
  });

  it('emits what a hand-written loop over the same logits draws with sampler.sample()', async () => {
    const params = { temperature: 0.8, topK: 40, minP: 0.02 };
    const generated = await withSampler(5, params, 80);
    const sampler = await createSampler({ seed: 5 });
    const ids = tokenizer.encode(PROMPT);
    for (let i = 0; i < 80; i++) ids.push(sampler.sample(table.row(ids.at(-1)!), params));
    expect(generated).toEqual(ids.slice(PROMPT.length));
    // With do_sample: true, transformers.js's multinomial step still has one token to pick.
    expect(await withSampler(5, params, 80, true)).toEqual(generated);
  });

  it('top-p truncates, where transformers.js given top_p does not', async () => {
    const topP = 0.3;
    const outside = (tokens: number[]) => {
      let prev = tokenizer.encode(PROMPT).at(-1)!;
      let n = 0;
      for (const t of tokens) {
        if (!inNucleus(table.row(prev), t, topP)) n++;
        prev = t;
      }
      return n;
    };
    // transformers.js's own sampling, seeded through its global random: top_p is accepted but
    // never applied (its TopPLogitsWarper has no body and generate() never adds it).
    random.seed(3);
    const plain = await run({ do_sample: true, top_p: topP }, 200);
    expect(outside(plain)).toBeGreaterThan(20);
    const ours = await withSampler(3, { topP }, 200);
    expect(outside(ours)).toBe(0);
  });

  it("rejects bad sampling params with the sampler's own error", async () => {
    await expect(withSampler(1, { topP: 2 })).rejects.toThrow(
      new RangeError('topP must be in (0, 1] (1 = off), got 2'),
    );
  });
});

describe('samplerProcessor on transformers.js tensors', () => {
  it('draws each row of a batch in order from the one stream, leaving it the only finite logit', async () => {
    const V = table.V;
    const data = new Float32Array(2 * V);
    data.set(table.row(3), 0);
    data.set(table.row(17), V);
    const logits = new Tensor('float32', data.slice(), [2, V]);
    const sampler = await createSampler({ seed: 9 });
    const list = new LogitsProcessorList();
    list.push(samplerProcessor(sampler, { temperature: 1.5 }));
    const out = list(
      [
        [1n, 3n],
        [2n, 17n],
      ],
      logits,
    ) as Tensor;
    expect(out).toBe(logits);

    const reference = await createSampler({ seed: 9 });
    const t0 = reference.sample(data.subarray(0, V), { temperature: 1.5 });
    const t1 = reference.sample(data.subarray(V), { temperature: 1.5 });
    const rows = out.data as Float32Array;
    for (const [r, t] of [
      [0, t0],
      [1, t1],
    ] as const) {
      const row = rows.subarray(r * V, (r + 1) * V);
      expect(row[t]).toBe(0);
      expect(row.filter((x) => x !== -Infinity)).toHaveLength(1);
    }
  });

  it('passes params unchanged, and with history: true adds each row of ids as numbers', async () => {
    const seen: unknown[] = [];
    const real = await createSampler({ seed: 1 });
    // A sampler that records its params and draws without them: stands in for one whose params
    // accept `history`.
    const recorder = {
      sample(logits: Float32Array, params?: SamplingParams & { history?: number[] }) {
        seen.push(params);
        return real.sample(logits, { temperature: params?.temperature });
      },
    };
    const params = { temperature: 0.7 };
    const V = table.V;
    const logits = () => new Tensor('float32', new Float32Array(2 * V), [2, V]);
    samplerProcessor(recorder, params)([[5n], [6n]], logits());
    expect(seen).toEqual([params, params]);
    expect(seen[0]).toBe(params);

    seen.length = 0;
    samplerProcessor(recorder, params, { history: true })(
      [
        [1n, 2n],
        [3n, 4n, 5n],
      ],
      logits(),
    );
    expect(seen).toEqual([
      { temperature: 0.7, history: [1, 2] },
      { temperature: 0.7, history: [3, 4, 5] },
    ]);
    expect(params).toEqual({ temperature: 0.7 });
  });

  it('rejects a bad sampler, params, options and logits by name', async () => {
    const sampler = await createSampler({ seed: 1 });
    expect(() => samplerProcessor({} as never)).toThrow(TypeError);
    expect(() => samplerProcessor({} as never)).toThrow(/sampler must be a Sampler/);
    expect(() => samplerProcessor(sampler, 0.7 as never)).toThrow(/params must be an object/);
    expect(() => samplerProcessor(sampler, {}, { histroy: true } as never)).toThrow(
      "unknown samplerProcessor option 'histroy' (did you mean 'history'?); known: history",
    );
    expect(() => samplerProcessor(sampler, {}, { history: 1 } as never)).toThrow('history must be a boolean, got 1');
    const p = samplerProcessor(sampler);
    expect(() => p([[1n]], new Tensor('int64', new BigInt64Array(4), [1, 4]))).toThrow(
      /logits must be a float32 Tensor of shape \[batch, vocab\]/,
    );
    expect(() =>
      samplerProcessor(sampler, {}, { history: true })([[1n]], new Tensor('float32', new Float32Array(8), [2, 4])),
    ).toThrow('input_ids has 1 rows but logits has 2');
  });

  it('rejects dims that do not describe data, naming both (issue 16, item 13)', async () => {
    const seen: number[] = [];
    const recorder = {
      sample(logits: Float32Array) {
        seen.push(logits.length);
        return 0;
      },
    };
    const p = samplerProcessor(recorder);
    const tensor = (dims: unknown[], n: number) => ({ dims: dims as number[], data: new Float32Array(n) });
    const bad: [unknown[], number, ErrorConstructor, string][] = [
      [[2, 5], 5, RangeError, 'logits.dims [2, 5] describe 10 values, but logits.data has 5'],
      [[1, 4], 8, RangeError, 'logits.dims [1, 4] describe 4 values, but logits.data has 8'],
      [[1, 2.5], 5, RangeError, 'logits.dims must be positive safe integers, got [1, 2.5]'],
      [[2.5, 2], 5, RangeError, 'logits.dims must be positive safe integers, got [2.5, 2]'],
      [[0, 5], 0, RangeError, 'logits.dims must be positive safe integers, got [0, 5]'],
      [[-1, -5], 5, RangeError, 'logits.dims must be positive safe integers, got [-1, -5]'],
      [[1, Number.NaN], 5, RangeError, 'logits.dims must be positive safe integers, got [1, NaN]'],
      [[1, 2 ** 53], 5, RangeError, 'logits.dims must be positive safe integers, got [1, 9007199254740992]'],
      [[1, '5'], 5, TypeError, 'logits.dims must be positive safe integers, got [1, "5"]'],
      [[], 5, RangeError, 'logits.dims must be a non-empty array [batch, vocab], got an array of length 0'],
    ];
    for (const [dims, n, type, message] of bad) {
      const call = () => p([[1n]], tensor(dims, n));
      expect(call, JSON.stringify(dims)).toThrow(type);
      expect(call, JSON.stringify(dims)).toThrow(message);
    }
    const notArray = () => p([[1n]], { dims: 5, data: new Float32Array(5) } as never);
    expect(notArray).toThrow(TypeError);
    expect(notArray).toThrow('logits.dims must be a non-empty array [batch, vocab], got 5');
    // Nothing was drawn from a tensor it rejected; a valid one still works, rank 1 included.
    expect(seen).toEqual([]);
    p([[1n], [2n]], tensor([2, 3], 6));
    p([[1n]], tensor([4], 4));
    expect(seen).toEqual([3, 3, 4]);
  });
});
