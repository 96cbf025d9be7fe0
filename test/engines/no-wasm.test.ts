// The built browser bundle in V8 realms that cannot run WebAssembly, as its real users' can't:
// one with no WebAssembly global at all (Hermes, iOS lockdown mode), and one whose WebAssembly
// refuses to compile (a CSP page without 'wasm-unsafe-eval'). In both, 'auto' must fall back to
// js and draw the golden sequences, with probs() bit for bit Node's js backend's. Unlike
// fallback.test.ts, which stubs the global in Node's own realm, these are whole other realms
// that never had a working WebAssembly.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { beforeAll, describe, expect, test } from 'vitest';
import { engineScript, workloadCall } from '../support/engine-script.js';
import { type EngineResult, expectEngineRun, nodeReference } from '../support/engines.js';

let script: string;
let reference: EngineResult;

beforeAll(async () => {
  const bundled = await engineScript({ target: 'es2022' });
  expect(bundled.libraryFiles).toEqual(['dist/browser.js']);
  script = bundled.script;
  reference = await nodeReference();
});

/**
 * Loads the script into `context`. Node's `vm` global is an interceptor-backed object, which
 * makes every global lookup (Math.fround in a hot loop) several times slower than in a real
 * page; binding the realm's own builtins as locals first gives the same objects at normal speed
 * (3 s → 0.6 s here). WebAssembly is left out, so `typeof WebAssembly` still asks the global.
 */
function load(context: vm.Context): void {
  const builtins = (vm.runInContext('Object.getOwnPropertyNames(globalThis)', context) as string[]).filter(
    (name) => /^[A-Z][A-Za-z0-9]*$/.test(name) && name !== 'WebAssembly',
  );
  const locals = builtins.map((name) => `${name} = globalThis.${name}`).join(', ');
  vm.runInContext(`var engine = (function () { const ${locals};\n${script}\nreturn engine; })();`, context);
}

/** The workload in `context`: its JSON result. */
function workload(context: vm.Context): Promise<string> {
  return vm.runInContext(workloadCall(), context) as Promise<string>;
}

describe('a realm with no WebAssembly global', () => {
  // URL is the one host global the bundle needs to load (see engine-script.ts); a vm context
  // has none of Node's or a browser's, and the tests pass seeds, so no crypto either.
  const context = vm.createContext({ URL });
  vm.runInContext('delete globalThis.WebAssembly', context);
  beforeAll(() => load(context));

  test('sees no WebAssembly', () => {
    expect(vm.runInContext('typeof WebAssembly', context)).toBe('undefined');
    expect(vm.runInContext('engine.lib.hasWasmSimd()', context)).toBe(false);
    expect(vm.runInContext('engine.lib.createSamplerSync({ seed: 1 }).backend', context)).toBe('js');
  });

  test("'auto' picks js and draws the golden sequences; probs() is Node's js bit for bit", async () => {
    expectEngineRun(await workload(context), reference, 'undefined');
  });

  test('asking for a wasm backend fails loudly', async () => {
    await expect(vm.runInContext("engine.lib.createSampler({ backend: 'wasm', seed: 1 })", context)).rejects.toThrow(
      /no WebAssembly/,
    );
  });
});

describe('a realm that refuses to compile WebAssembly (CSP without wasm-unsafe-eval)', () => {
  // codeGeneration makes V8 itself refuse, through the embedder check a browser answers from
  // the page's CSP: WebAssembly is there, but compiling or instantiating bytes throws a
  // CompileError. strings: false also refuses eval, as the same CSP would.
  const requested: string[] = [];
  const context = vm.createContext(
    { URL, fetch: serveBuild(requested) },
    { codeGeneration: { strings: false, wasm: false } },
  );
  beforeAll(() => load(context));

  test('WebAssembly is there, but compiling is refused', async () => {
    const bytes = readFileSync(new URL('../../build/logit-sampler.wasm', import.meta.url));
    const probe = vm.runInContext(
      '(bytes) => { try { new WebAssembly.Module(bytes); return "compiled"; } catch (e) { return e.name; } }',
      context,
    ) as (b: Uint8Array) => string;
    expect(probe(bytes)).toBe('CompileError');
    const compile = vm.runInContext('(bytes) => WebAssembly.instantiate(bytes)', context) as (b: Uint8Array) => unknown;
    await expect(compile(bytes)).rejects.toThrow(/disallowed/);
  });

  test("'auto' tries the wasm builds, falls back to js and draws the golden sequences", async () => {
    expectEngineRun(await workload(context), reference, 'object');
    // It did go down the WebAssembly path (fetched a build) before falling back.
    expect(requested.length).toBeGreaterThan(0);
    for (const file of requested) expect(file).toMatch(/^logit-sampler(\.simd)?\.wasm$/);
  });

  test('control: the same realm allowed to compile picks wasm-simd, so the refusal is what falls back', async () => {
    const allowed = vm.createContext(
      { URL, fetch: serveBuild([]) },
      { codeGeneration: { strings: false, wasm: true } },
    );
    load(allowed);
    const backend = vm.runInContext('engine.lib.createSampler({ seed: 1 }).then((s) => s.backend)', allowed);
    expect(await backend).toBe('wasm-simd');
  });
});

/** A fetch that serves this checkout's build/ by file name, and records what was asked for. */
function serveBuild(requested: string[]): (url: URL) => Promise<Response> {
  return async (url) => {
    const file = String(url.href).split('/').pop()!;
    requested.push(file);
    const body = readFileSync(new URL(`../../build/${file}`, import.meta.url));
    return new Response(body, { headers: { 'content-type': 'application/wasm' } });
  };
}
