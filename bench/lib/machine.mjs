// @ts-check
// What the numbers were measured on; goes into every report.

import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** @returns {string | null} */
function gitCommit() {
  try {
    /** @param {string[]} args */
    const git = (...args) =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'src', 'assembly') !== '';
    return dirty ? `${head} (src/assembly modified)` : head;
  } catch {
    return null; // not a git checkout, or no commit yet
  }
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown CPU',
    cores: cpus.length,
    platform: process.platform,
    arch: process.arch,
    totalMemGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    date: new Date().toISOString(),
    commit: gitCommit(),
  };
}
