import { bigramSet } from './similarity.js';

/**
 * The spots a text names with a locative word: 凤林菜市场门口, 公交站旁边, 二中对面. In one 社区, two reports
 * that share every other word are two problems when their spots differ (公交站旁边的井盖丢了 / 小学门口的井盖
 * 丢了). Offices name only some landmarks as aliases; residents name many more.
 */
const LOCATIVE = '(?:大门口|门口|附近|旁边|十字路口|交叉口|路口|对面|周边|周围|一带|边上|出入口|里面|楼下|[东西南北]侧|[东西南北前后]门)';
const SPOT_RE = new RegExp(`([\\p{Script=Han}A-Za-z0-9]{1,8})${LOCATIVE}`, 'gu');
/** What precedes the spot in its clause (晚上在学校门口: 学校). */
const LEAD_RE = /^.*[在到于从往对把将被给向的了是有和与及]/u;
/**
 * A spot ends as a place's name does (菜市场, 公交站, 二中, 银江路, 丽发新城): in 严重影响附近居民, 附近 says
 * whose rest is disturbed, not where.
 */
const PLACE_END_RE = /[场站校学中小园院店路街道巷桥楼厦区口村河湖溪江山馆所厂寺湾城苑府里庄港厅房门铺局宫地池亭塔台家市宅舍号栋幢座厝埔墩林坊]$/u;

/** A spot as named (凤林菜市场门口) and the bigrams of its place (凤林菜市场), which say whether two spots are one. */
export interface Spot {
  phrase: string;
  grams: Set<number>;
}

/** The spots a text names; spots too short to have a bigram (对面, 在附近) are left out. */
export function spotsIn(text: string): Spot[] {
  const spots: Spot[] = [];
  for (const m of text.matchAll(SPOT_RE)) {
    const name = m[1]!.replace(LEAD_RE, '');
    const grams = PLACE_END_RE.test(name) ? bigramSet(name) : null;
    if (grams && grams.size > 0) spots.push({ phrase: name + m[0].slice(m[1]!.length), grams });
  }
  return spots;
}

/**
 * Whether two texts' spots can be one place: when either names none (a road named without a locative word may
 * be the other's spot), or when any two share a bigram (凤林菜市场门口 / 菜市场旁边).
 */
export function spotsMayMatch(a: readonly Spot[], b: readonly Spot[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  return a.some((x) => b.some((y) => [...x.grams].some((g) => y.grams.has(g))));
}
