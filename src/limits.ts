/** Largest vocabulary (and longest logit bias or history window) on every backend: 2^24 keeps
 *  the kernels' whole layout far below the 4 GiB of 32-bit WebAssembly. assembly/layout.ts has
 *  the same constant (a test compares them). */
export const MAX_TOKENS = 2 ** 24;

/** Most top logprobs one call returns (assembly/layout.ts MAX_TOP_N). */
export const MAX_TOP_N = 1024;
/** Logit-bias entries plus history tokens a logitsView(n) makes room for up front: min(n, this).
 *  A call with more grows memory, which detaches every view (the sampler then says so). */
export const VIEW_EDITS = 65536;
