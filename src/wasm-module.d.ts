// How Workers-style bundlers (wrangler, workerd's module list) type a `.wasm` import: a
// WebAssembly.Module compiled at deploy time.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
