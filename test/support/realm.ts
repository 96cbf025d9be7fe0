// Values from another JavaScript realm (what iframes, `vm` contexts and some test runners
// hand over): their constructors and prototypes are not this realm's, so `instanceof` fails.
import vm from 'node:vm';

const context = vm.createContext({});

/** Evaluates `source` in a separate realm and returns its value. */
export function foreign<T>(source: string): T {
  return vm.runInContext(source, context) as T;
}

/** A copy of `a` built by the other realm's constructor of the same name. */
export function foreignCopy<T extends Float32Array | Float64Array | Uint32Array | Int32Array>(a: T): T {
  const make = vm.runInContext(`(values) => new ${a.constructor.name}(values)`, context) as (v: number[]) => T;
  return make(Array.from(a));
}
