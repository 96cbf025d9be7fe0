// Where things are: the repository, its tool binaries, the fixture.
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURE = fileURLToPath(new URL('../fixture/', import.meta.url));
/** A binary from the repository's node_modules/.bin (deno, bun, workerd, …). */
export const bin = (name: string): string => `${REPO}node_modules/.bin/${name}`;
