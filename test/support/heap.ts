// What a call allocates on the JS heap: V8's sampling heap profiler, counting what minor and
// major GCs already collected too, so that a per-call record or array shows up at once.
import { Session } from 'node:inspector/promises';

/** Bytes allocated per call of `call`, over `calls` calls (after a warm-up of 5,000). */
export async function heapPerCall(call: () => void, calls = 20_000): Promise<number> {
  for (let i = 0; i < 5000; i++) call();
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
