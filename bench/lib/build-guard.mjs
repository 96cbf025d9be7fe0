// The bench measures whatever build/ holds, and a rebuild in the middle of a
// run (another `npm run build` in the same checkout) would mix two builds in
// one report. Fingerprint the .wasm files at start and compare at the end.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

const FILES = ['logit-sampler.simd.wasm', 'logit-sampler.wasm'].map(
  (f) => new URL(`../../build/${f}`, import.meta.url),
);

export function buildFingerprint() {
  const hash = createHash('sha256');
  for (const file of FILES) hash.update(existsSync(file) ? readFileSync(file) : 'missing');
  return hash.digest('hex').slice(0, 12);
}
