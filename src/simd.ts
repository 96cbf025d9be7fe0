// Feature detection by validation, not by user agent: a module whose only function uses a
// SIMD instruction validates exactly where WebAssembly SIMD (fixed-width, 128-bit) exists.
const SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // "\0asm", version 1
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, // type section: () -> v128
  0x03,
  0x02,
  0x01,
  0x00, // function section: one function of type 0
  0x0a,
  0x0a,
  0x01,
  0x08,
  0x00, // code section: one body of 8 bytes, no locals
  0x41,
  0x00, // i32.const 0
  0xfd,
  0x0f, // i8x16.splat
  0xfd,
  0x62, // i8x16.popcnt
  0x0b, // end
]);

/** True when this runtime has WebAssembly with the SIMD proposal. */
export function hasWasmSimd(): boolean {
  return hasWasm() && WebAssembly.validate(SIMD_PROBE);
}

export function hasWasm(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly !== null && typeof WebAssembly.Instance === 'function';
}
