/**
 * Near-duplicate detection for dedupe: a bottom-k sketch of the character bigrams of a message, stored as
 * a short string, and an estimate of the Jaccard similarity of two such sketches.
 *
 * Why bigrams: most Chinese words are two characters (路灯, 漏水, 噪音), so bigrams are the smallest unit
 * that carries meaning; two wordings of one problem share far fewer trigrams than bigrams.
 * Why bottom-k rather than k-hash MinHash: one hash per bigram instead of k, and for a short message (fewer
 * than K distinct bigrams) the sketch is the whole set, so the similarity is exact where it matters most.
 *
 * Normalisation keeps CJK ideographs and Latin letters (width- and case-folded); particles, digits and the
 * `*` of masked data are skipped, punctuation and polite boilerplate end a run (see `classify`).
 * Fingerprint format: the version character, then up to K hashes in ascending order, each 24 bits written
 * as 4 characters of an ASCII-ordered base-64 alphabet, so comparing characters compares numbers.
 * `similarity` works on the stored strings directly; a caller comparing one message with many stored
 * records may decode each record once with `decodeFingerprint` and call `similarityDecoded` instead.
 * A fingerprint of another version compares as 0: recompute stored fingerprints after changing this file.
 */

export type Fingerprint = string;

/**
 * Pairs at or above this similarity are treated as the same problem. Measured with
 * test/bench/measure-dedupe.ts on 7,097 real 问政 messages plus hand-written paraphrases; the evidence is in
 * the comment at the top of that script.
 */
export const DEFAULT_DEDUPE_THRESHOLD = 0.3;

const VERSION = '1';
const K = 128;
const SLOT = 4;
const ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

// Characters outside the alphabet decode as 0: a damaged fingerprint compares badly but never throws.
const DECODE = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

// Function words and particles that residents add or drop freely when retelling the same problem: they
// are skipped and the characters around them form a bigram, so 楼下的路灯 and 楼下路灯 share 下路.
const STOP_CHARS = '的了着过吗呢吧啊呀哦嘛哈啦是在和与及也都就还又很太我你您他她它们这那请';

// Phrases found in almost every complaint whatever its subject. They are cut out like punctuation (no
// bigram spans them), otherwise two unrelated messages in the same polite frame look alike.
const BOILERPLATE = /尊敬的?|各位|领导|您好|你好|谢谢|感谢|反映|反应|问题|希望|请问|相关部门|有关部门|相关|有关|部门|尽快|解决|处理|情况|能否|是否|已经|目前|现在|市民|群众|一下|为盼|为谢/g;

const JOIN = -1;
const BREAK = -2;

// Indexed by UTF-16 code; a typed-array lookup is much cheaper than a Set on the hot path.
const IS_STOP_CHAR = new Uint8Array(0x10000);
for (let i = 0; i < STOP_CHARS.length; i++) IS_STOP_CHAR[STOP_CHARS.charCodeAt(i)] = 1;

/**
 * The folded code of a character that carries meaning (CJK ideographs; Latin letters with full-width and
 * upper case folded to a-z), JOIN for what a paraphrase adds or drops without changing the meaning (stop
 * characters, digits, spaces, the `*` of masked data), BREAK for punctuation and everything else.
 */
function classify(c: number): number {
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) return IS_STOP_CHAR[c] === 1 ? JOIN : c;
  if (c >= 0x61 && c <= 0x7a) return c;
  if (c >= 0x41 && c <= 0x5a) return c + 0x20;
  if (c >= 0xff41 && c <= 0xff5a) return c - 0xfee0;
  if (c >= 0xff21 && c <= 0xff3a) return c - 0xfee0 + 0x20;
  if ((c >= 0x30 && c <= 0x39) || (c >= 0xff10 && c <= 0xff19) || c === 0x2a || c === 0x20 || c === 0x3000) return JOIN;
  return BREAK;
}

/** murmur3's finaliser: spreads similar bigram codes over the whole 32-bit range. */
function mix(key: number): number {
  let h = key >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function fingerprint(text: string): Fingerprint {
  const cleaned = text.replace(BOILERPLATE, '\n');
  // Int32Array because its sort is several times faster than Uint32Array's; hashes are 24-bit anyway.
  const hashes = new Int32Array(cleaned.length);
  let n = 0;
  let prev = BREAK;
  for (let i = 0; i < cleaned.length; i++) {
    const c = classify(cleaned.charCodeAt(i));
    if (c === JOIN) continue;
    if (c >= 0 && prev >= 0) hashes[n++] = mix(prev * 0x10000 + c) >>> 8;
    prev = c;
  }
  const sorted = hashes.subarray(0, n).sort();
  const parts: string[] = [VERSION];
  for (let i = 0; i < n && parts.length <= K; i++) {
    const h = sorted[i] ?? 0;
    if (i > 0 && h === sorted[i - 1]) continue;
    parts.push(ALPHABET[(h >>> 18) & 63]! + ALPHABET[(h >>> 12) & 63]! + ALPHABET[(h >>> 6) & 63]! + ALPHABET[h & 63]!);
  }
  return parts.join('');
}

/**
 * The distinct meaning bigrams of a text as `fingerprint` reads it (boilerplate cut, stop characters and digits
 * skipped, punctuation breaking), with each of `cut` removed first like punctuation; exact, not a sketch.
 */
export function bigramSet(text: string, cut: readonly string[] = []): Set<number> {
  const cleaned = cutWords(text.replace(BOILERPLATE, '\n'), cut);
  const out = new Set<number>();
  let prev = BREAK;
  for (let i = 0; i < cleaned.length; i++) {
    const c = classify(cleaned.charCodeAt(i));
    if (c === JOIN) continue;
    if (c >= 0 && prev >= 0) out.add(prev * 0x10000 + c);
    prev = c;
  }
  return out;
}

/**
 * The distinct meaning characters of a text, read as `bigramSet` reads it: for the few words left once places
 * are cut, where one changed character (过期食品 / 牛奶过期了) leaves no bigram in common.
 */
export function charSet(text: string, cut: readonly string[] = []): Set<number> {
  const cleaned = cutWords(text.replace(BOILERPLATE, '\n'), cut);
  const out = new Set<number>();
  for (let i = 0; i < cleaned.length; i++) {
    const c = classify(cleaned.charCodeAt(i));
    if (c >= 0) out.add(c);
  }
  return out;
}

/** `text` with each of `words` (in the order given) replaced by a line break, so no bigram spans the cut. */
export function cutWords(text: string, words: readonly string[]): string {
  let out = text;
  for (const word of words) if (word) out = out.split(word).join('\n');
  return out;
}

function compareSlot(a: string, i: number, b: string, j: number): number {
  for (let n = 0; n < SLOT; n++) {
    const d = a.charCodeAt(i + n) - b.charCodeAt(j + n);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Estimated Jaccard similarity (0..1) of the two messages' bigram sets. The k smallest hashes of the union
 * are a uniform sample of it; the share of that sample present in both sketches estimates the Jaccard.
 * Empty or foreign fingerprints give 0, so two empty messages are never duplicates of each other.
 */
export function similarity(a: Fingerprint, b: Fingerprint): number {
  if (a[0] !== VERSION || b[0] !== VERSION) return 0;
  const endA = a.length;
  const endB = b.length;
  let i = 1;
  let j = 1;
  let taken = 0;
  let shared = 0;
  while (taken < K && (i < endA || j < endB)) {
    if (i >= endA) j += SLOT;
    else if (j >= endB) i += SLOT;
    else {
      const d = compareSlot(a, i, b, j);
      if (d === 0) {
        shared++;
        i += SLOT;
        j += SLOT;
      } else if (d < 0) i += SLOT;
      else j += SLOT;
    }
    taken++;
  }
  return taken === 0 ? 0 : shared / taken;
}

/** Decodes a stored fingerprint once into its sorted hashes; an empty array for foreign or empty input. */
export function decodeFingerprint(fp: Fingerprint): Uint32Array {
  if (fp[0] !== VERSION) return new Uint32Array(0);
  const n = Math.floor((fp.length - 1) / SLOT);
  const out = new Uint32Array(n);
  for (let s = 0, p = 1; s < n; s++, p += SLOT) {
    let v = 0;
    for (let c = 0; c < SLOT; c++) v = (v << 6) | (DECODE[fp.charCodeAt(p + c) & 127] ?? 0);
    out[s] = v;
  }
  return out;
}

/** Same estimate as `similarity`, on decoded fingerprints. */
export function similarityDecoded(a: Uint32Array, b: Uint32Array): number {
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  let taken = 0;
  let shared = 0;
  while (taken < K && (i < na || j < nb)) {
    if (i >= na) j++;
    else if (j >= nb) i++;
    else {
      const x = a[i]!;
      const y = b[j]!;
      if (x === y) {
        shared++;
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
    taken++;
  }
  return taken === 0 ? 0 : shared / taken;
}

const MASK_BITS = 1024;
const MASK_WORDS = MASK_BITS / 32;

/**
 * A 1,024-bit set of a decoded sketch's hashes (by their low bits). Two sketches cannot share more hashes
 * than their masks share bits, which bounds their similarity without merging them (`similarityBound`).
 */
export function sketchMask(hashes: Uint32Array): Uint32Array {
  const mask = new Uint32Array(MASK_WORDS);
  writeMask(mask, 0, hashes);
  return mask;
}

function writeMask(into: Uint32Array, offset: number, hashes: Uint32Array): void {
  for (let i = 0; i < hashes.length; i++) {
    const bit = hashes[i]! & (MASK_BITS - 1);
    into[offset + (bit >>> 5)]! |= 1 << (bit & 31);
  }
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * The estimate is shared/taken, with taken = min(K, na + nb − S) for S hashes in common and shared ≤ S;
 * that grows with S, and S ≤ the common bits of the two masks.
 */
function boundFromCommonBits(common: number, na: number, nb: number): number {
  const s = Math.min(common, na, nb);
  const taken = Math.min(K, na + nb - s);
  return taken <= 0 ? 0 : s / taken;
}

/**
 * An upper bound of `similarityDecoded` for sketches of `na` and `nb` hashes with these masks. Why: dedupe
 * compares each message with hundreds of open records and most share almost nothing; 32 word operations
 * rule those out, where a merge walks up to 256 hashes.
 */
export function similarityBound(na: number, maskA: Uint32Array, nb: number, maskB: Uint32Array): number {
  let common = 0;
  for (let w = 0; w < MASK_WORDS; w++) common += popcount(maskA[w]! & maskB[w]!);
  return boundFromCommonBits(common, na, nb);
}

/** Per row: the sketch's size, then its mask. */
const ROW = 1 + MASK_WORDS;

/**
 * The masks and sizes of a list of sketches in one flat array, row i for the list's item i. Why: run after
 * classifying a message, the bound checks found every candidate's mask cold in the cache, scattered over
 * the heap behind two objects each; this way they are one sequential read (measured in the job thread:
 * ~230 µs per message with masks on the candidates, ~50 µs once cached).
 */
export class SketchTable {
  private readonly rows: Uint32Array;
  private count = 0;

  constructor(readonly capacity: number) {
    this.rows = new Uint32Array(capacity * ROW);
  }

  get length(): number {
    return this.count;
  }

  /** Appends a row at the end. */
  push(hashes: Uint32Array): void {
    if (this.count === this.capacity) throw new RangeError(`SketchTable is full (${this.capacity} rows)`);
    this.write(this.count++, hashes);
  }

  /** Inserts a row at the front; when full, the last row falls off (as a list trimmed to its limit). */
  unshift(hashes: Uint32Array): void {
    const kept = Math.min(this.count, this.capacity - 1);
    this.rows.copyWithin(ROW, 0, kept * ROW);
    this.count = kept + 1;
    this.write(0, hashes);
  }

  /** `similarityBound` of a query (its size and `sketchMask`) against row `row`. */
  bound(row: number, querySize: number, queryMask: Uint32Array): number {
    const rows = this.rows;
    const offset = row * ROW;
    let common = 0;
    for (let w = 0; w < MASK_WORDS; w++) common += popcount(queryMask[w]! & rows[offset + 1 + w]!);
    return boundFromCommonBits(common, querySize, rows[offset]!);
  }

  private write(row: number, hashes: Uint32Array): void {
    const offset = row * ROW;
    this.rows.fill(0, offset, offset + ROW);
    this.rows[offset] = hashes.length;
    writeMask(this.rows, offset + 1, hashes);
  }
}
