// The kernels generated from the scalar build (scripts/build-js-kernels.mjs writes
// build/logit-sampler.js and a declaration beside it); this says the same for a tree that has
// not been built yet, so that typecheck may run before the build.
declare module '*/build/logit-sampler.js' {
  export function instantiate(): import('./kernels.js').KernelExports;
}
