// QuickJS (bellard/quickjs, compiled to WebAssembly by quickjs-emscripten): a non-V8, non-JIT
// engine with no WebAssembly global of its own, run inside Node. It interprets the js backend
// 10–20× slower than V8 runs it, so the golden cases are split by cost: the cheap ones run in
// the unit tests (test/engines/quickjs.test.ts), all 32 steps; the rest, whose every step
// exponentiates 32,000–49,152 logits, in test/runtimes/quickjs.runtime.ts, their first
// QUICKJS_RUNTIME_STEPS steps (and probs() at the first, bit for bit).
import { newQuickJSWASMModule, shouldInterruptAfterDeadline } from 'quickjs-emscripten';
import { GOLDEN_CASES } from '../runtimes/fixture/golden.mjs';
import { URL_SHIM, workloadCall } from './engine-script.js';

/** About 3 s of QuickJS here, and between them every control but dynamic temperature (the
 *  last case sets every other one). */
export const QUICKJS_UNIT_CASES = [
  'greedy with a presence penalty over the last 8 tokens, n = 50257',
  'temperature 0.7, top-k 40, top-p 0.9, n = 128256',
  'min-p 0.05, temperature 1.3, n = 32768',
  'probability input, temperature 0.8, top-p 0.95, n = 1000',
  'temperature 2, top-k 5, n = 17',
  'every control at once, n = 65543',
];

/** The golden cases left to the runtime test, and how many of their steps it takes (all 32
 *  took 28 s here; 8 take a quarter of that). */
export const QUICKJS_RUNTIME_CASES = GOLDEN_CASES.map((c) => c.name).filter((n) => !QUICKJS_UNIT_CASES.includes(n));
export const QUICKJS_RUNTIME_STEPS = 8;

/**
 * Loads `script` (engine-script.ts) into a fresh QuickJS runtime and runs the workload on the
 * golden cases `names` (their first `steps` tokens; default all); returns its JSON. The runtime gets a memory limit and a deadline, so a
 * runaway loop or allocation fails the test instead of hanging CI.
 */
export async function runInQuickJS(
  script: string,
  names: string[],
  deadlineMs: number,
  steps?: number,
): Promise<string> {
  // A module of its own per run: see the finally block.
  const quickjs = await newQuickJSWASMModule();
  const runtime = quickjs.newRuntime({
    memoryLimitBytes: 256 * 2 ** 20,
    interruptHandler: shouldInterruptAfterDeadline(Date.now() + deadlineMs),
  });
  const context = runtime.newContext();
  try {
    context.unwrapResult(context.evalCode(URL_SHIM + script, 'engine.js')).dispose();
    const promise = context.unwrapResult(context.evalCode(workloadCall(names, steps), 'run.js'));
    const settled = context.resolvePromise(promise);
    promise.dispose();
    // The js backend is synchronous: the workload is one chain of promise jobs.
    runtime.executePendingJobs().unwrap();
    const result = context.unwrapResult(await settled);
    const json = context.getString(result);
    result.dispose();
    return json;
  } finally {
    context.dispose();
    // Not runtime.dispose(): after the 128,256-token case with probs(), QuickJS 2025-09-13's
    // JS_FreeRuntime fails its own assertion that every object was freed
    // (list_empty(&rt->gc_obj_list)) and aborts the whole WebAssembly module. Script code
    // cannot leak an engine refcount, and the same run passes in V8 and Hermes; the module,
    // runtime included, is garbage once this function returns.
  }
}
