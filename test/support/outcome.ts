// What a call returned, or the error it threw, as plain data that toEqual can compare across
// the builds: the bits of a Float32Array, any other value as it is, an error as "Name: message".
export function outcome(run: () => unknown): unknown {
  try {
    const r = run();
    return r instanceof Float32Array ? { bits: Array.from(new Uint32Array(r.buffer, r.byteOffset, r.length)) } : r;
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}
