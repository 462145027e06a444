/**
 * When a bare short form (杏林, 深青, 集美) may stand for a place. Full names (杏林街道, 深青村) always
 * count; short forms are words that also occur in ordinary Chinese and in other names, so each must
 * survive these checks. Tuned on 集美区; the lists are deliberately short and general.
 */

/**
 * A short form directly followed by one of these names something else: another level of government
 * (集美区, 杏林镇 of another county), an institution (集美大学, 集美学村) or a larger area that spans
 * several towns (杏林湾, 马銮湾, 集美大道, 集美新城). 市场/市民/市政/市容 are fine: 灌口市场 is in 灌口.
 * Sticky, so it is tested at the match end without slicing the text.
 */
const BLOCKING_NEXT_RE = /区(?!域)|县|市(?!场|民|政|容)|省|镇|乡|街道|大学|学村|学院|湾|大道|大桥|新城/y;

/**
 * 2-character shorts that are ordinary words or generic names; their place is matched only with its
 * suffix (新村社区, 前进村, 田头村). Several come from 集美区 itself: 新村 (any estate called X新村),
 * 前进 (forward), 田头 (a field's edge), 坑内 (in the pit), 滨水 (waterfront), 纺织 (textiles).
 */
const COMMON_WORDS: ReadonlySet<string> = new Set([
  '新村', '前进', '田头', '坑内', '滨水', '纺织', '中心', '城关', '城区', '郊区', '矿区', '胜利', '红旗', '红星',
  '光明', '和平', '团结', '幸福', '建设', '人民', '解放', '友谊', '新华', '新建', '民主', '东风', '先锋',
  '跃进', '联合', '新民', '文化', '工农', '工业', '农业', '商业', '花园', '公园', '学校', '医院', '车站',
  '市场', '街道', '社区', '东方', '和谐', '新城', '老街', '复兴', '向阳', '朝阳', '五一', '八一', '新兴',
  '兴隆', '太平', '平安', '吉祥', '富强', '繁荣', '振兴', '发展', '光荣', '民族', '新生', '立新', '农场',
  '林场', '中学', '小学', '大学', '小区', '园区', '广场', '开发', '新区', '东街', '西街', '南街', '北街',
  // 李林村 is in 灌口, but 李林 is far more often a person's name.
  '李林', '健康', '奋斗', '福利', '学院', '铁路', '工厂', '码头', '机场', '菜场', '村口',
]);

/** 3月2日东边: a short starting with 日/月/年/号 right after a numeral is the tail of a date. */
const DATE_HEAD_RE = /^[日月年号]/;
const NUMERAL_RE = /[0-9０-９〇零一二三四五六七八九十两]/;

/**
 * Before a generic full name (新村社区, 前进村), a Han character usually belongs to a longer name (城南新村社区
 * is some other place). These characters end the previous word instead: an admin suffix or a function word.
 */
const HAN_RE = /[\u3400-\u9fff]/;
const WORD_END_RE = /[镇道乡区市县在的是和与及到从住往至于靠近对边里]/;

/** A short form may be matched bare: at least 2 characters and not an ordinary word. */
export function isUsableShort(short: string, full: string): boolean {
  return short !== full && short.length >= 2 && !COMMON_WORDS.has(short);
}

/** The short is an ordinary word, so even its full name (新村社区) is easily part of another name. */
export function isGenericShort(short: string): boolean {
  return COMMON_WORDS.has(short);
}

/** The text around a bare short form turns it into a different word or name. */
export function isBlockedShort(text: string, start: number, end: number): boolean {
  BLOCKING_NEXT_RE.lastIndex = end;
  if (BLOCKING_NEXT_RE.test(text)) return true;
  return start > 0 && DATE_HEAD_RE.test(text[start]!) && NUMERAL_RE.test(text[start - 1]!);
}

/** A generic full name glued to the end of a longer name. */
export function isEmbeddedName(text: string, start: number): boolean {
  const before = text[start - 1];
  return before !== undefined && HAN_RE.test(before) && !WORD_END_RE.test(before);
}
