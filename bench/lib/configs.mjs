// The sampling configurations of the benchmark (issue 3), in report order.

export const CONFIGS = [
  {
    id: 'temp',
    title: 'temperature 0.7 only (peaked)',
    kind: 'peaked',
    params: { temperature: 0.7 },
  },
  {
    id: 'topk-topp',
    title: 'temperature 0.7 + top-k 40 + top-p 0.9 (peaked)',
    kind: 'peaked',
    params: { temperature: 0.7, topK: 40, topP: 0.9 },
  },
  {
    id: 'flat-topp',
    title: 'temperature 1 + top-p 0.95 (flat)',
    kind: 'flat',
    params: { temperature: 1, topP: 0.95 },
  },
  {
    id: 'minp',
    title: 'temperature 1 + min-p 0.05 (peaked)',
    kind: 'peaked',
    params: { temperature: 1, minP: 0.05 },
  },
  {
    id: 'greedy',
    title: 'greedy, temperature 0 (peaked)',
    kind: 'peaked',
    params: { temperature: 0 },
  },
];

export const CONFIG_IDS = CONFIGS.map((c) => c.id);
