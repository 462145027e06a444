import { bigramSet } from './similarity.js';

/**
 * The spots a text names with a locative word: 凤林菜市场门口, 公交站旁边, 二中对面. In one 社区, two reports
 * that share every other word are two problems when their spots differ (公交站旁边的井盖丢了 / 小学门口的井盖
 * 丢了). Offices name only some landmarks as aliases; residents name many more.
 */
const LOCATIVE_WORDS = ['大门口', '十字路口', '交叉口', '出入口', '门口', '附近', '旁边', '路口', '对面', '周边', '周围', '一带', '边上', '里面', '楼下'];
const LOCATIVE = `(?:${LOCATIVE_WORDS.join('|')}|[东西南北]侧|[东西南北前后]门)`;
/** Where, at no place in particular: what is left once the place words are cut (后溪村村口 → 村口). */
export const BARE_LOCATIVES = [...LOCATIVE_WORDS, '村口'];
const SPOT_RE = new RegExp(`([\\p{Script=Han}A-Za-z0-9]{1,8})${LOCATIVE}`, 'gu');
/** What precedes the spot in its clause (晚上在学校门口: 学校). */
const LEAD_RE = /^.*[在到于从往对把将被给向的了是有和与及]/u;
/**
 * A spot ends as a place's name does (菜市场, 公交站, 二中, 银江路, 丽发新城): in 严重影响附近居民, 附近 says
 * whose rest is disturbed, not where.
 */
const PLACE_END_RE = /[场站校学中小园院店路街道巷桥楼厦区口村河湖溪江山馆所厂寺湾城苑府里庄港厅房门铺局宫地池亭塔台家市宅舍号栋幢座厝埔墩林坊]$/u;

/**
 * A spot as named (凤林菜市场门口) and the bigrams of its place (凤林菜市场), which say whether two spots are one;
 * for a business (烧烤店), its name and every pair of its characters.
 */
export interface Spot {
  phrase: string;
  grams: Set<number>;
}

/**
 * Places residents name by name, with no locative word: 凤林公园, 集美大桥, 嘉庚体育馆, 杏林湾地铁站. Said without
 * 门口 they are still the spot: 「凤林公园厕所很脏」 and 「凤林公园路灯坏了」 are two problems in one park.
 */
const LANDMARK_WORDS = ['公园', '广场', '大桥', '体育馆', '图书馆', '博物馆', '文化馆', '医院', '卫生院', '卫生所', '小学', '中学', '幼儿园', '学校', '火车站', '地铁站', '公交站', '客运站', '码头', '大厦', '商场', '隧道', '湿地'];
const LANDMARK_WORD_RE = new RegExp(LANDMARK_WORDS.join('|'), 'gu');
/** A character a landmark's name may have, and the most of them read before its landmark word. */
const NAME_CHAR_RE = /[\p{Script=Han}A-Za-z0-9]/u;
const NAME_MAX = 8;

/**
 * The name written before a landmark word at `at`, read backwards, not past `from` (the previous landmark's end).
 * Why not one regex with the name in front: it tries every start position with every word, and made dedupe of a
 * long letter (each candidate compared) several times slower.
 */
function nameBefore(text: string, at: number, from: number): string {
  let start = at;
  while (start > from && at - start < NAME_MAX && NAME_CHAR_RE.test(text[start - 1]!)) start--;
  return text.slice(start, at);
}
/**
 * Characters of a landmark's own name at the least: 「上小学」 or 「去医院」 names none. Right after a place word
 * that was cut (dedupe cuts 集美 from 集美大桥, 灌口 from 灌口小学), the place was its name.
 */
const LANDMARK_NAME_MIN = 2;
const namesLandmark = (written: string, name: string, text: string, at: number): boolean =>
  name.length >= LANDMARK_NAME_MIN || (written === '' && text[at - 1] === '\n');

/**
 * The spots a text names, with a locative word or as a landmark; spots too short to have a bigram (对面, 在附近)
 * are left out.
 */
export function spotsIn(text: string): Spot[] {
  const spots: Spot[] = [];
  for (const m of text.matchAll(SPOT_RE)) {
    const name = m[1]!.replace(LEAD_RE, '');
    const grams = PLACE_END_RE.test(name) ? bigramSet(name) : null;
    if (grams && grams.size > 0) spots.push({ phrase: name + m[0].slice(m[1]!.length), grams });
  }
  let from = 0;
  for (const m of text.matchAll(LANDMARK_WORD_RE)) {
    const written = nameBefore(text, m.index, from);
    from = m.index + m[0].length;
    const name = written.replace(LEAD_RE, '');
    if (!namesLandmark(written, name, text, m.index - written.length)) continue;
    const phrase = name + m[0];
    const grams = bigramSet(phrase);
    if (grams.size > 0) spots.push({ phrase, grams });
  }
  return spots;
}

/**
 * The business a report is about (烧烤店, 网吧, 养殖场, 嘉庚路工地): one shop's 油烟 and its 半夜喧哗 are two
 * problems, as two problems at one spot are. The business word and up to two characters naming it; a leading
 * 那家 or 的 says nothing of which.
 */
const BUSINESS_RE = /\p{Script=Han}{0,2}(?:店|馆|网吧|酒吧|工厂|厂|摊|排档|铺|工地|酒楼|餐厅|会所|作坊|歌厅|养[殖猪鸡鸭牛]场|超市|小卖部|菜市场|市场|KTV|ktv)/gu;
const BUSINESS_LEAD_RE = new RegExp(`${LEAD_RE.source}|^[一这那该此某]?[家个间座]`, 'u');

/** The businesses a text names, each as a phrase to cut before the problems are compared. */
export function businessesIn(text: string): Spot[] {
  const out: Spot[] = [];
  for (const m of text.matchAll(BUSINESS_RE)) {
    const phrase = m[0].replace(BUSINESS_LEAD_RE, '');
    // Every pair of characters: bigramSet skips particles, and 吧 is one outside 网吧.
    const grams = new Set<number>();
    for (let i = 1; i < phrase.length; i++) grams.add(phrase.charCodeAt(i - 1) * 0x10000 + phrase.charCodeAt(i));
    if (grams.size > 0) out.push({ phrase, grams });
  }
  return out;
}

/**
 * Whether two texts' spots can be one place: when either names none (a road named without a locative word may
 * be the other's spot), or when any two share a bigram (凤林菜市场门口 / 菜市场旁边).
 */
export function spotsMayMatch(a: readonly Spot[], b: readonly Spot[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  return shareOne(a, b);
}

/** Whether any spot of one list shares a bigram with any of the other (凤林菜市场门口 / 菜市场旁边). */
export function shareOne(a: readonly Spot[], b: readonly Spot[]): boolean {
  return a.some((x) => b.some((y) => [...x.grams].some((g) => y.grams.has(g))));
}
