/** Which build runs the kernels: WebAssembly with SIMD, without, or the JavaScript generated
 *  from the latter. All three return identical results. */
export type BackendName = 'wasm-simd' | 'wasm' | 'js';
