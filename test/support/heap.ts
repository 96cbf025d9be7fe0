// Bytes a call allocates on the JS heap, as V8's sampling heap profiler counts them, the
// objects minor and major GCs already collected included: a per-call record or array shows
// up at once, where boxed numbers stay at a few dozen bytes each.
export async function bytesPerCall(call: () => void, calls = 20_000, warmUp = 5000): Promise<number> {
  const { Session } = await import('node:inspector/promises');
  for (let i = 0; i < warmUp; i++) call();
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 32,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let i = 0; i < calls; i++) call();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  type Node = { selfSize: number; children: Node[] };
  const total = (node: Node): number => node.selfSize + node.children.reduce((sum, c) => sum + total(c), 0);
  return total(profile.head as Node) / calls;
}
