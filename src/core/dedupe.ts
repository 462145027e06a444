import type { DedupeCandidate, DedupeCandidates } from './ports.js';
import { bigramSet, charSet, cutWords, decodeFingerprint, type Fingerprint, similarityDecoded, sketchMask } from './similarity.js';
import { BARE_LOCATIVES, businessesIn, shareOne, spotsIn, spotsMayMatch } from './spots.js';

export interface ScoredCandidate {
  candidate: DedupeCandidate;
  score: number;
}

export interface DedupeResult {
  /** The open record this item repeats, when one is similar enough. */
  match: ScoredCandidate | null;
  /** Related but distinct records, shown as a hint on the receipt. */
  similar: ScoredCandidate[];
  /** Reports (affected counts) in every related record: the 微协商 rule only needs checking when this is high. */
  relatedReports: number;
}

/** Share of the dedupe threshold above which a record counts as related (hint, cluster check). */
const RELATED_SHARE = 0.6;

/** What the new item is about, beyond its words. */
export interface DedupeSubject {
  categoryCode: string;
  place: string | null;
  /** False when neither the text nor an answer named a place (the town is only the member's own). */
  placeNamed: boolean;
  /**
   * The item's masked words and the words naming places in its town, for `sameProblem`; the words are asked
   * for only when a record is similar enough to be compared, which most messages never reach.
   */
  text?: string;
  placeWords?: () => readonly string[];
}

/** Words that say where, whichever place: cut with the item's own place words before problems are compared. */
const PLACE_SUFFIXES = ['村委会', '居委会', '村委', '社区', '街道', '小区'];

/** Share of the shorter side's problem bigrams that the other side has, at or above which two problems match. */
const PROBLEM_OVERLAP = 0.3;

/**
 * Similarity at which two texts are one text posted twice (measure-dedupe.ts: 20 of 20 sampled pairs). Their
 * spots are not compared: a resident reposting a letter may head it once with the school and once with the
 * crossing it stands on.
 */
const REPOST_SIMILARITY = 0.8;

/**
 * Share of the shorter side's problem characters, once the spot or business both name is cut, that the other
 * side must have: 「小学门口积水严重」 and 「小学门口车辆乱停很严重」 share nothing but the spot and 严重
 * (SAID_OF_ANY), 「烧烤店油烟大」 and 「烧烤店半夜喧哗」 nothing but the shop. Characters, not bigrams: in the few
 * words left, two retellings share characters more than pairs (「卖过期食品」 / 「卖的牛奶过期了」 share 卖 and 期
 * but no bigram, 过 being a stop character). Each of the 7,097 real messages' 805 pairs at or above the dedupe
 * threshold, compared both ways as text and summary, joins as it did before (1,586 of 1,610).
 */
const BEYOND_SPOT_OVERLAP = 0.34;
/**
 * How bad or how often, said of any problem: at one spot, 「积水严重」 and 「乱停很严重」 share only these. Cut
 * with the spot before the problems are compared.
 */
const SAID_OF_ANY = ['严重', '非常', '特别', '经常', '一直', '厉害', '影响', '危险', '隐患', '不便', '困难', '麻烦'];

/**
 * What residents say is wrong, in the words they use for it: two retellings at one spot share the kind of problem
 * more than its characters (「噪音大」 / 「机器声音太吵」, 「高峰堵车」 / 「上下学时拥堵」). Each kind counts as one more
 * member of the problem's characters on both sides; kinds apart keep two problems apart as before (积水 / 乱停).
 */
const PROBLEM_KINDS: readonly RegExp[] = [
  /噪音|噪声|吵|喧哗|扰民|声音[很太]?大|轰鸣/u,
  /臭|异味|气味|难闻/u,
  /堵车|拥堵|堵得|塞车|拥挤/u,
  /积水|内涝|淹/u,
  /漏水|渗水|滴水/u,
  /乱停|违停|停车/u,
  /路灯|灯[不没]亮|灯坏/u,
  /垃圾|清运|脏/u,
  /油烟|烟味/u,
  /拖欠|欠薪|讨薪|工资/u,
];
/** Above every character code, so a kind is never taken for a character. */
const KIND_BASE = 0x110000;

/** The problem's characters once `words` are cut, and the kinds of problem it names. */
function problemSet(text: string, words: readonly string[]): Set<number> {
  const cut = cutWords(text, words);
  const out = charSet(cut);
  PROBLEM_KINDS.forEach((kind, i) => {
    if (kind.test(cut)) out.add(KIND_BASE + i);
  });
  return out;
}

/** Fewer problem characters than this beyond the spot (「小学门口的」) say too little to tell two problems apart. */
const BEYOND_SPOT_MIN = 2;

/** Share of the smaller set's members that the other set has. */
function overlap(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const x of small) if (large.has(x)) shared++;
  return shared / small.size;
}

/**
 * Whether the item and a record are about the same problem once their place words are cut: in a short message
 * the place is most of the words, so 「灌口镇田头村路灯坏了」 and 「灌口镇田头村下水道堵了」 score as alike as two
 * retellings of one problem. Below `REPOST_SIMILARITY`, two spots (公交站旁边 / 小学门口, spots.ts) are two
 * problems as well, and at one spot or one business both name (烧烤店, 网吧), the problem must be shared beyond
 * the words of where and whom. A spot both name stays in the words first compared: cut, it took with it most of
 * what two long retellings share.
 * Compared with the record's summary (the store's candidates carry no more), by the share of the shorter side
 * found in the other, since a summary is one sentence of a longer text. Where either side has no words left
 * but its place, the similarity alone decides.
 */
export function sameProblem(text: string, placeWords: readonly string[], summary: string, similarity = 0): boolean {
  // Longest first, so 田头村 goes whole before its short form 田头 could leave 村 behind.
  const cut = [...placeWords.filter((w) => w.length > 1), ...PLACE_SUFFIXES].sort((x, y) => y.length - x.length);
  const [cutText, cutSummary] = [cutWords(text, cut), cutWords(summary, cut)];
  const reposted = similarity >= REPOST_SIMILARITY;
  const [spotsA, spotsB] = reposted ? [[], []] : [spotsIn(cutText), spotsIn(cutSummary)];
  if (!spotsMayMatch(spotsA, spotsB)) return false;
  const a = bigramSet(cutText);
  const b = bigramSet(cutSummary);
  if (a.size === 0 || b.size === 0) return true;
  if (overlap(a, b) < PROBLEM_OVERLAP) return false;
  const [businessA, businessB] = reposted ? [[], []] : [businessesIn(cutText), businessesIn(cutSummary)];
  const oneSpot = spotsA.length > 0 && spotsB.length > 0;
  if (!oneSpot && !shareOne(businessA, businessB)) return true;
  const spots = [...spotsA, ...spotsB, ...businessA, ...businessB].map((s) => s.phrase).sort((x, y) => y.length - x.length);
  const words = [...spots, ...BARE_LOCATIVES, ...SAID_OF_ANY];
  const [problemA, problemB] = [problemSet(cutText, words), problemSet(cutSummary, words)];
  if (Math.min(problemA.size, problemB.size) < BEYOND_SPOT_MIN) return true;
  return overlap(problemA, problemB) >= BEYOND_SPOT_OVERLAP;
}

const level1 = (code: string): string => code.split('.')[0]!;

/**
 * Whether a similar record may take this item as a "+1". Short messages are mostly their place words, so
 * wording alone joined 路灯 to 积水 in one 社区, and one 社区's 路灯 to another's; a false join hides a
 * problem, while a missed one only counts it twice until staff 合并 it. So a join also needs the same
 * level-1 category, the same place (a 社区/村 on both sides or on neither), a place named at all, alike
 * words once the place is cut, and spots that may be one.
 */
function mayJoin(subject: DedupeSubject, { candidate: c, score }: ScoredCandidate): boolean {
  if (!subject.placeNamed) return false;
  if (level1(subject.categoryCode) !== level1(c.categoryCode)) return false;
  // A 社区/村 on one side only is two places too: 田头村's lights are not the lights of 「灌口镇上头村」, a 村 the
  // district does not have, nor necessarily those of a report naming only 灌口镇.
  if (subject.place !== c.place) return false;
  return subject.text === undefined || sameProblem(subject.text, subject.placeWords?.() ?? [], c.summary, score);
}

/**
 * Compares one item with the open records of its town. Hundreds of candidates per message make decoding
 * and merging the cost, so a store may hand them over already decoded, with a table of masks that rules
 * most out early.
 */
export function findDuplicate(fp: Fingerprint, { list, sketches }: DedupeCandidates, threshold: number, subject?: DedupeSubject): DedupeResult {
  const query = decodeFingerprint(fp);
  const queryMask = sketches && sketchMask(query);
  const related = threshold * RELATED_SHARE;
  const scored: ScoredCandidate[] = [];
  for (let i = 0; i < list.length; i++) {
    if (queryMask && sketches!.bound(i, query.length, queryMask) < related) continue;
    const candidate = list[i]!;
    const score = similarityDecoded(query, candidate.decoded ?? decodeFingerprint(candidate.fingerprint));
    if (score >= related) scored.push({ candidate, score });
  }
  scored.sort((a, b) => b.score - a.score);
  const relatedReports = scored.reduce((n, s) => n + s.candidate.affectedCount, 0);
  const best = scored.find((s) => s.score >= threshold && (!subject || mayJoin(subject, s)));
  if (best) return { match: best, similar: [], relatedReports };
  return { match: null, similar: scored.slice(0, 2), relatedReports };
}

const NOT_WORDS = /[\s\p{P}\p{S}]/gu;

/**
 * Whether a report repeats one the same sender already made, word for word (spacing and punctuation aside): a
 * resend, not another resident. Different words from the same member still count, since members pass on
 * several residents' reports of one problem.
 */
export function isResend(sender: string, words: string, earlier: ReadonlyArray<{ senderId: string; excerptMasked: string }>): boolean {
  const bare = words.replace(NOT_WORDS, '');
  return earlier.some((s) => s.senderId === sender && s.excerptMasked.replace(NOT_WORDS, '') === bare);
}
