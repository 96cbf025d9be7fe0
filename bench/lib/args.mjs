// @ts-check
// Command-line options of `npm run bench -- …`.

import { parseArgs } from 'node:util';
import { SIZES } from '../workloads.mjs';
import { CONFIG_IDS } from './configs.mjs';

const USAGE = `usage: npm run bench -- [--quick] [--sizes 32000,128256] [--configs ${CONFIG_IDS.join(',')}]
  --quick     short time budget per cell (whole run about a minute)
  --sizes     vocabulary sizes to run (default: ${SIZES.join(',')})
  --configs   configurations to run (default: all)`;

// Time budgets (ms of measured work) per cell. A cell keeps sampling until
// both its budget and its minimum iteration count are met, so slow peers
// (tens of ms per token) stop after a few tokens instead of a fixed count.
const BUDGETS = {
  full: { time: 1000, iterations: 8, warmupTime: 200, warmupIterations: 2 },
  quick: { time: 60, iterations: 3, warmupTime: 25, warmupIterations: 1 },
};

/**
 * @typedef {object} Options
 * @property {boolean} quick
 * @property {number[]} sizes
 * @property {string[]} configs
 * @property {import('./measure.mjs').Budget} budget
 */

/**
 * @param {string[]} argv
 * @returns {Options}
 */
export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      configs: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const sizes = values.sizes ? values.sizes.split(',').map((s) => parseSize(s.trim())) : SIZES;
  const configs = values.configs ? values.configs.split(',').map((c) => parseConfig(c.trim())) : CONFIG_IDS;
  return { quick: values.quick, sizes, configs, budget: values.quick ? BUDGETS.quick : BUDGETS.full };
}

/** @param {string} text */
function parseSize(text) {
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) fail(`--sizes: "${text}" is not a positive integer`);
  return n;
}

/** @param {string} id */
function parseConfig(id) {
  if (!CONFIG_IDS.includes(id)) fail(`--configs: unknown configuration "${id}" (choose from ${CONFIG_IDS.join(', ')})`);
  return id;
}

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}
