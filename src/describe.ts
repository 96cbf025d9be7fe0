// How values appear in error messages: short, unambiguous, and safe to compute for anything a
// caller can pass (no getters are invoked, no source code or huge strings are printed).

// The %TypedArray%.prototype getters read internal slots: they work on typed arrays of any
// realm, and own properties (a `length` that lies) cannot change what they return.
const TYPED_ARRAY = Object.getPrototypeOf(Uint8Array.prototype) as object;
const slot = <T>(key: PropertyKey) => Object.getOwnPropertyDescriptor(TYPED_ARRAY, key)!.get as (this: unknown) => T;
const typedArrayTag = slot<string | undefined>(Symbol.toStringTag);
const lengthSlot = slot<number>('length');
const offsetSlot = slot<number>('byteOffset');
const bufferSlot = slot<ArrayBufferLike>('buffer');

/** The typed-array kind of v ('Float32Array', …), read from its internal slot, so arrays from
 *  other realms (iframes, vm contexts, workers' copies) are recognised and nothing can fake
 *  one; undefined for anything else. */
export function typedArrayKind(v: unknown): string | undefined {
  return typedArrayTag.call(v);
}

/** The real length of a typed array (0 once its buffer is detached). */
export function typedArrayLength(a: ArrayBufferView): number {
  return lengthSlot.call(a);
}

/** The real byte offset of a typed array (0 once its buffer is detached). */
export function typedArrayOffset(a: ArrayBufferView): number {
  return offsetSlot.call(a);
}

/** The real buffer of a typed array. */
export function typedArrayBuffer(a: ArrayBufferView): ArrayBufferLike {
  return bufferSlot.call(a);
}

// A buffer's own getters, read once here: no user code runs when they are called.
const abResizable = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get;
const abBytes = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
const sabGrowable =
  typeof SharedArrayBuffer === 'function'
    ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'growable')?.get
    : undefined;
const sabBytes =
  typeof SharedArrayBuffer === 'function'
    ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength')?.get
    : undefined;

/** The byte length of a typed array's buffer when that buffer can change size (a resizable
 *  ArrayBuffer, a growable SharedArrayBuffer), else -1: a view of one reads as empty once the
 *  buffer shrinks below it, which an error should say. */
export function resizableBytes(a: ArrayBufferView): number {
  const b = bufferSlot.call(a);
  try {
    if (abResizable?.call(b)) return abBytes.call(b) as number;
  } catch {
    // not an ArrayBuffer: a SharedArrayBuffer
  }
  try {
    if (sabGrowable?.call(b)) return sabBytes!.call(b) as number;
  } catch {
    // neither
  }
  return -1;
}

/** True when a typed array's buffer was detached (transferred, or a WebAssembly memory that
 *  grew): it then reads as empty. */
export function isDetached(a: ArrayBufferView): boolean {
  if (lengthSlot.call(a) !== 0) return false;
  try {
    new Uint8Array(bufferSlot.call(a));
    return false;
  } catch {
    return true;
  }
}

function article(word: string): string {
  // By sound: "an Int32Array", "a Uint32Array".
  return /^(?:[AEIO]|U(?!int))/i.test(word) ? `an ${word}` : `a ${word}`;
}

/** A float32 in the fewest significant digits that read back as it: 0.1, not 0.10000000149011612. */
export function float32Text(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return describe(v);
  for (let digits = 1; digits < 9; digits++) {
    const shorter = Number(v.toPrecision(digits));
    if (Math.fround(shorter) === v) return String(shorter);
  }
  // Nine significant digits name every float32 (String(v) would print the float64's 17).
  return String(Number(v.toPrecision(9)));
}

/** A short, unambiguous rendering of a value for error messages. */
export function describe(v: unknown): string {
  switch (typeof v) {
    case 'bigint':
      return `${v}n`;
    case 'string':
      return v.length > 40 ? `${JSON.stringify(v.slice(0, 40))}… (a string of length ${v.length})` : JSON.stringify(v);
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(v);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  const kind = typedArrayKind(v);
  if (kind) return `${article(kind)} of length ${typedArrayLength(v as Uint8Array)}`;
  const c = collection(v);
  return c === undefined ? 'an object' : `a ${c}`;
}

/** Which of `known` a mistyped `key` most likely meant: the same letters in another case or
 *  with underscores, an alias, or the one name within two edits. */
export function suggest(key: string, known: readonly string[], aliases: Readonly<Record<string, string>> = {}): string {
  if (Object.hasOwn(aliases, key)) return ` (did you mean '${aliases[key]}'?)`;
  const squash = (s: string) => s.replace(/[_.\s-]/g, '').toLowerCase();
  const same = known.find((k) => squash(k) === squash(key));
  if (same) return ` (did you mean '${same}'?)`;
  const close = known.filter((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  if (close.length === 1) return ` (did you mean '${close[0]}'?)`;
  // A name cut short ('llama' for 'llama.cpp'), when only one known name starts so.
  const begun = squash(key).length >= 3 ? known.filter((k) => squash(k).startsWith(squash(key))) : [];
  return begun.length === 1 ? ` (did you mean '${begun[0]}'?)` : '';
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The options object's own enumerable properties, each read exactly once, into a record:
 * inherited properties (a polluted Object.prototype) are never options, and a getter cannot
 * answer differently on a second read. Unknown names throw with a suggestion. `into`, when
 * given, is reused — every known name reset, then filled — so that a call per token
 * allocates nothing (a fresh record and Object.keys() cost about 300 bytes a call).
 */
export function ownOptions(
  what: string,
  value: unknown,
  known: readonly string[],
  aliases: Readonly<Record<string, string>> = NO_ALIASES,
  /** The parameter as the caller knows it, for a value that is no object at all. */
  name = `${what} options`,
  into: Record<string, unknown> = Object.create(null),
  /** The names `into` was given last time (kept up to date here): only those are reset, not
   *  every known name. */
  touched?: Touched,
): Record<string, unknown> {
  if (touched === undefined) for (let k = 0; k < known.length; k++) into[known[k]!] = undefined;
  else touched.clear(into);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object like { ${known.join(', ')} }, got ${describe(value)}`);
  }
  // for-in lists own and inherited enumerable names in Object.keys() order, without an array.
  let own = false;
  for (const key in value) {
    if (!isEnumerable.call(value, key)) continue; // inherited (or gone: a proxy may say so)
    if (!known.includes(key)) {
      throw new TypeError(`unknown ${what} option '${key}'${suggest(key, known, aliases)}; known: ${known.join(', ')}`);
    }
    into[key] = (value as Record<string, unknown>)[key];
    touched?.add(key);
    own = true;
  }
  // A Map's entries are no properties: read as options it would be an empty object, and
  // `new Map([['seed', 1]])` a random seed. Asked only of an object with no own options that
  // is not a plain one (the slot probes throw for anything else).
  if (!own && !plain(value) && collection(value) !== undefined) {
    throw new TypeError(
      `${name} must be an object like { ${known.join(', ')} }, got ${describe(value)}: its entries are not options`,
    );
  }
  return into;
}

function plain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

// The collections' own methods read internal slots: they tell a Map of any realm from
// anything else without running its code (a proxy has no slots: they throw).
const COLLECTIONS: readonly [string, (this: unknown, key: object) => unknown][] = [
  ['Map', Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!],
  ['Set', Object.getOwnPropertyDescriptor(Set.prototype, 'size')!.get!],
  ['WeakMap', WeakMap.prototype.has],
  ['WeakSet', WeakSet.prototype.has],
];

/** 'Map', 'Set', 'WeakMap' or 'WeakSet' for such a collection of any realm, else undefined. */
function collection(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  for (const [kind, probe] of COLLECTIONS) {
    try {
      probe.call(v, COLLECTIONS);
      return kind;
    } catch {
      // not this kind
    }
  }
  return undefined;
}

/** The names a reused options record holds, in an array that never shrinks: emptying an
 *  array (length = 0) frees its storage, and refilling it allocated on every call. */
export class Touched {
  readonly #names: string[];
  #count = 0;
  constructor(capacity: number) {
    this.#names = new Array<string>(capacity).fill('');
  }
  add(name: string): void {
    this.#names[this.#count++] = name;
  }
  /** Sets every name added since the last clear() to undefined in `record`. */
  clear(record: Record<string, unknown>): void {
    for (let k = 0; k < this.#count; k++) record[this.#names[k]!] = undefined;
    this.#count = 0;
  }
}

/**
 * ownOptions for an options object held by a call's params record (`dynamicTemperature`,
 * `xtc`): read into a record of its own that the params record keeps under `hidden` (e.g.
 * '#xtc') and reuses call after call, then left in place of the caller's object.
 */
export function ownNested(
  record: Record<string, unknown>,
  key: string,
  hidden: string,
  known: readonly string[],
  aliases: Readonly<Record<string, string>> = NO_ALIASES,
): void {
  let into = record[hidden] as Record<string, unknown> | undefined;
  if (into === undefined) {
    into = Object.create(null) as Record<string, unknown>;
    record[hidden] = into;
  }
  record[key] = ownOptions(key, record[key], known, aliases, key, into);
}

const NO_ALIASES: Readonly<Record<string, string>> = Object.freeze(Object.create(null));
/** Own and enumerable: what Object.keys() lists. */
const isEnumerable = Object.prototype.propertyIsEnumerable;
