/**
 * Text normalisation and character n-gram features shared by the trainer and the local classifier.
 * Pure (no node: imports) so the classifier runs unchanged on Cloudflare Workers.
 *
 * Why this normaliser: the training data was segmented by jieba and stripped of stop-words, punctuation
 * and single digits by its publisher, while at run time we see the raw message. Removing non-Chinese
 * characters and a stop list from BOTH sides makes them nearly identical strings, and character n-grams
 * make word segmentation irrelevant. The stop list was derived by aligning ~250 raw messages with their
 * segmented twins in the training set (what jieba's stop list deleted), plus function characters that the
 * publisher deleted most of the time; the mean tf-idf cosine between raw and segmented twins rose from
 * 0.81 (no stop list) to 0.96.
 */

/** Stored in the model: a model built with another normaliser must not be loaded. */
export const FEATURE_VERSION = 'cjk-stop-v1';

export const NON_CJK = /[^\u3400-\u4dbf\u4e00-\u9fff]/g;

/** Function words removed as substrings (matched longest first). */
const STOP_WORDS = [
  '综上所述', '什么时候', '为什么', '一方面', '我们', '关于', '可以', '没有', '不能', '根据', '有关',
  '作为', '任何', '自己', '这个', '这些', '多次', '还是', '开始', '因为', '为了', '以及', '通过', '由于',
  '同时', '其他', '其它', '就是', '很多', '本人', '如果', '但是', '并且', '而且', '按照', '基本', '结果',
  '也是', '到了', '必须', '怎么', '尽快', '只有', '才能', '对于', '比如', '甚至', '或者', '首先', '不再',
  '不要', '如何', '多少', '如下', '只是', '各种', '经过', '经常', '非常', '可能', '一般', '另外', '一样',
  '一旦', '因此', '然而', '那么', '有些', '有的', '等等', '如此', '可是', '以免', '起来', '更加', '本身',
  '从未', '仍然', '理应', '即使', '充分', '如今', '加以', '极为', '更多', '到处', '另行', '本着', '加之',
  '不得', '为何', '难道', '哪些', '人民', '个人', '不是', '什么', '虽然', '时候', '大家', '然后', '哪里',
  '某些', '几乎', '别人', '之一', '居然', '大概', '之类', '只要', '何时', '一切', '当然', '万一', '大约',
  '屡屡', '自身', '仍旧', '进来', '出来', '加上',
];

/** Characters the publisher's stop list removed almost everywhere (function words, pronouns, particles). */
const STOP_CHARS =
  '的我了们和没也都与他但且被或按让又吗呢如把将就而并其你她它仅还等很向这可给由及是才那' +
  '均此您样吧若仍谁较竟则啊哪有在不为于以能对该因从过着本多各去到比既便';

/** The rule normalizeText follows, as patterns (NON_CJK, then this): the tests hold the hand-written scan to them. */
export const STOP_PATTERN = new RegExp(
  `${[...STOP_WORDS].sort((a, b) => b.length - a.length).join('|')}|[${STOP_CHARS}]`,
  'g',
);

/** Stop words by their first character, longest first: the order STOP_PATTERN tries them in. */
const STOP_WORDS_BY_FIRST = new Map<number, string[]>();
for (const word of [...STOP_WORDS].sort((a, b) => b.length - a.length)) {
  const first = word.charCodeAt(0);
  const list = STOP_WORDS_BY_FIRST.get(first) ?? [];
  list.push(word);
  STOP_WORDS_BY_FIRST.set(first, list);
}
/** By UTF-16 code: 1 when a stop word starts with it, 2 when it is a stop character. */
const STOP_FLAGS = new Uint8Array(0x10000);
for (const first of STOP_WORDS_BY_FIRST.keys()) STOP_FLAGS[first]! |= 1;
for (const c of STOP_CHARS) STOP_FLAGS[c.charCodeAt(0)]! |= 2;
const isCjkUnit = (code: number) => (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf);

let units = new Uint16Array(4096);

/**
 * Keeps only Chinese characters and drops stop words, so raw and pre-segmented text look alike. The same as
 * `text.replace(NON_CJK, '').replace(STOP_PATTERN, '')`, by hand: the two regular expressions (a hundred
 * alternatives tried at every character) were a fifth of classifying a message.
 */
export function normalizeText(text: string): string {
  if (units.length < text.length) units = new Uint16Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isCjkUnit(code)) units[n++] = code;
  }
  // Stop words are matched on the Chinese characters alone, as the pattern was: one may span removed punctuation.
  let out = 0;
  for (let i = 0; i < n; ) {
    const code = units[i]!;
    const flags = STOP_FLAGS[code]!;
    let skip = 0;
    if (flags & 1) {
      for (const word of STOP_WORDS_BY_FIRST.get(code)!) {
        if (i + word.length > n) continue;
        let k = 1;
        while (k < word.length && units[i + k] === word.charCodeAt(k)) k++;
        if (k === word.length) {
          skip = k;
          break;
        }
      }
    }
    if (skip === 0 && flags & 2) skip = 1;
    if (skip > 0) {
      i += skip;
    } else {
      units[out++] = code;
      i++;
    }
  }
  let result = '';
  // Chunked: String.fromCharCode with many arguments hits the argument limit on very long messages.
  for (let i = 0; i < out; i += 4096) result += String.fromCharCode.apply(null, units.subarray(i, Math.min(out, i + 4096)) as unknown as number[]);
  return result;
}

export interface NgramSpec {
  readonly minN: number;
  readonly maxN: number;
}

/** Calls `visit` for every character n-gram (with repeats) of an already normalised string. */
export function forEachNgram(normalized: string, spec: NgramSpec, visit: (gram: string) => void): void {
  const length = normalized.length;
  for (let start = 0; start < length; start++) {
    const last = Math.min(length, start + spec.maxN);
    for (let end = start + spec.minN; end <= last; end++) visit(normalized.slice(start, end));
  }
}

/** Filter bits per hash-table slot in `NgramIndex`: 4 keeps the filter at an eighth of the table. */
const FILTER_BITS_PER_SLOT = 4;

/** n-grams longer than this do not fit the two 32-bit halves of an `NgramIndex` key. */
export const MAX_NGRAM = 4;

/**
 * Open-addressing hash table from n-gram to feature index, keyed by the n-gram's UTF-16 codes packed
 * into two 32-bit integers. A `Map<string, number>` needs a fresh substring per lookup and was ~0.7 µs
 * a lookup on a 400k-entry vocabulary; this table allocates nothing and keeps the classifier well above
 * 5,000 messages/s. Units are never 0 (normalised text holds only BMP CJK characters, word ids are
 * stored + 1), so 0 marks an empty slot.
 */
export class NgramIndex {
  private readonly keysLow: Uint32Array;
  private readonly keysHigh: Uint32Array;
  private readonly values: Int32Array;
  /**
   * One-unit n-grams by their code, -1 for none: every position of a message starts with a single-unit
   * lookup, and this table (256 KB) stays in cache where the hash table (MBs, a random slot per lookup)
   * does not.
   */
  private readonly single = new Int32Array(0x10000).fill(-1);
  private readonly mask: number;
  /**
   * A bit per hash value (four bits a slot, so at most one in eight is set): clear means no key of two or
   * more units hashes there. Most longer n-grams of a message are not in the vocabulary, and this table is
   * an eighth of the hash table's size, so it answers most misses from cache where a probe would not.
   */
  private readonly filter: Int32Array;
  private readonly filterMask: number;

  constructor(grams: readonly string[]) {
    let capacity = 16;
    while (capacity < grams.length * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.keysLow = new Uint32Array(capacity);
    this.keysHigh = new Uint32Array(capacity);
    this.values = new Int32Array(capacity);
    this.filterMask = capacity * FILTER_BITS_PER_SLOT - 1;
    this.filter = new Int32Array((capacity * FILTER_BITS_PER_SLOT) >>> 5 || 1);
    grams.forEach((gram, index) => {
      if (gram.length < 1 || gram.length > MAX_NGRAM) throw new Error(`n-gram of length ${gram.length}: ${gram}`);
      const code = (i: number) => (i < gram.length ? gram.charCodeAt(i) : 0);
      const low = (code(0) | (code(1) << 16)) >>> 0;
      const high = (code(2) | (code(3) << 16)) >>> 0;
      const hash = NgramIndex.hash(low, high);
      if (gram.length > 1) this.filter[(hash & this.filterMask) >>> 5]! |= 1 << (hash & 31);
      let slot = hash & this.mask;
      while (this.keysLow[slot] !== 0) {
        if (this.keysLow[slot] === low && this.keysHigh[slot] === high) throw new Error(`duplicate n-gram: ${gram}`);
        slot = (slot + 1) & this.mask;
      }
      this.keysLow[slot] = low;
      this.keysHigh[slot] = high;
      this.values[slot] = index;
      if (gram.length === 1) this.single[low] = index;
    });
  }

  private static hash(low: number, high: number): number {
    let h = Math.imul(low ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(high ^ 0x7f4a7c15, 0xc2b2ae35);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return h ^ (h >>> 13);
  }

  /** Feature index of text[start, start + length), or -1. Written without helpers: it is the hot loop. */
  lookup(text: string, start: number, length: number): number {
    if (length === 1) return this.single[text.charCodeAt(start)] ?? -1;
    let low = text.charCodeAt(start);
    let high = 0;
    if (length > 1) low |= text.charCodeAt(start + 1) << 16;
    if (length > 2) high = text.charCodeAt(start + 2);
    if (length > 3) high |= text.charCodeAt(start + 3) << 16;
    low >>>= 0;
    high >>>= 0;
    const hash = NgramIndex.hash(low, high);
    if ((this.filter[(hash & this.filterMask) >>> 5]! & (1 << (hash & 31))) === 0) return -1;
    let slot = hash & this.mask;
    for (;;) {
      const key = this.keysLow[slot]!;
      if (key === 0) return -1;
      if (key === low && this.keysHigh[slot] === high) return this.values[slot]!;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** Counts the n-grams of raw `text` that are in the vocabulary (feature index → count). */
export function countKnownNgrams(text: string, spec: NgramSpec, index: NgramIndex): Map<number, number> {
  return countNgrams(normalizeText(text), spec, index);
}

/**
 * Counts the vocabulary n-grams of a string of units: normalised characters, or word ids encoded one
 * UTF-16 code per word (see word-segmenter.ts), which makes word uni/bigrams the same lookup.
 */
export function countNgrams(units: string, spec: NgramSpec, index: NgramIndex): Map<number, number> {
  const counts = new Map<number, number>();
  const length = units.length;
  for (let start = 0; start < length; start++) {
    const longest = Math.min(spec.maxN, length - start);
    for (let n = spec.minN; n <= longest; n++) {
      const feature = index.lookup(units, start, n);
      if (feature >= 0) counts.set(feature, (counts.get(feature) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Added to the squared norm before L2-normalising. Training texts have ≥ 2,000 (their features barely
 * move); a two-character greeting like 你好 has ~3, and without this its one n-gram would be scaled up to
 * a full-length message's weight and classified with high confidence.
 */
export const NORM_PRIOR_SQUARES = 100;

export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/**
 * Sublinear tf × idf, L2-normalised (with NORM_PRIOR_SQUARES). Sublinear tf keeps a message that repeats
 * one word from being dominated by it; the norm makes messages of different lengths comparable.
 */
export function tfidfVector(counts: ReadonlyMap<number, number>, idf: ArrayLike<number>): SparseVector {
  const indices = new Int32Array(counts.size);
  const values = new Float64Array(counts.size);
  let position = 0;
  let squares = 0;
  for (const [index, count] of counts) {
    const value = (1 + Math.log(count)) * idf[index]!;
    indices[position] = index;
    values[position] = value;
    squares += value * value;
    position++;
  }
  const scale = 1 / Math.sqrt(squares + NORM_PRIOR_SQUARES);
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * scale;
  return { indices, values };
}
