// QuickJS (bellard/quickjs, compiled to WebAssembly by quickjs-emscripten): a non-V8, non-JIT
// engine with no WebAssembly global of its own, run inside Node. It interprets the js backend
// 10–20× slower than V8 runs it, so the golden cases are split by cost (engines.ts): the cheap
// ones run whole in the unit tests (test/engines/quickjs.test.ts), the costly ones' first steps
// in test/runtimes/quickjs.runtime.ts.
import { newQuickJSWASMModule, shouldInterruptAfterDeadline } from 'quickjs-emscripten';
import { URL_SHIM, workloadCall } from './engine-script.js';

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
