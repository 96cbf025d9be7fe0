// A control's cases are only worth their chi-square if they cut: the float64 reference keeps
// more than a few tokens of each, and fewer than half.
import { expect } from 'vitest';
import { keptSet } from './compare.js';
import type { ControlCase } from './control-suite.js';
import { reference } from './reference.js';

/** Expects each case's reference to keep more than `fewest` tokens and under half of them. */
export function expectCuts(cases: readonly ControlCase[], fewest: number): void {
  for (const c of cases) {
    const kept = keptSet(reference(c.x, c.params).p).length;
    expect(kept, c.name).toBeGreaterThan(fewest);
    expect(kept, c.name).toBeLessThan(c.x.length / 2);
  }
}
