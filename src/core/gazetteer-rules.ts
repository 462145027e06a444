/**
 * When a bare short form (杏林, 深青, 集美) may stand for a place. Full names (杏林街道, 深青村) always
 * count; short forms are words that also occur in ordinary Chinese and in other names, so each must
 * survive these checks. Tuned on 集美区; the lists are deliberately short and general.
 */

/**
 * A short form directly followed by one of these names something else: another level of government
 * (集美区, 杏林镇 of another county), an institution (集美大学, 集美学村) or a larger area that spans
 * several towns (杏林湾, 马銮湾, 集美大道, 集美新城). 市场/市民/市政/市容 are fine: 灌口市场 is in 灌口.
 * Sticky, so it is tested at the match end without slicing the text. The suffixes in traditional
 * characters too (杏林區), as a traditional name of ours is matched as well (see gazetteer-variants).
 */
const BLOCKING_NEXT_RE = /[区區](?!域)|[县縣]|市(?!场|民|政|容)|省|[镇鎮]|[乡鄉]|街道|大[学學]|[学學][村院]|[湾灣]|大道|大[桥橋]|新城/y;

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

/**
 * Shorts that are no ordinary word but are read inside other words or names too often to count bare;
 * their place needs its suffix (溪西村). 溪西: 溪 ends countless names and words (小溪西边, 梅溪西地 in the
 * 2020 resident-message sample, 后溪西 …), so a bare 溪西 is almost never the village.
 */
const SUFFIX_ONLY: ReadonlySet<string> = new Set(['溪西']);

/**
 * A 2-character short read across a word boundary: its first character ends the word before it (楼东|安全,
 * 周日|东边, 区内|林荫, 之前|场地) or its second starts the word after it (东安|全, 黄地|皮). Common words that
 * end on a short's first character (WORD_BEFORE) or start with its last (WORD_AFTER). Left out on purpose:
 * prepositions and the words that usually stand right before or after a place name (在内, 从前, 靠近|海凤,
 * 东南/西北, 地上/井下 as in 黄地上面, 青菜 as in 深青菜市场, 居民, 村民), so 住在内林, 从前场来, 日东南边
 * and 东安居民 still read as the place. Only the two boundary pairs are looked up, so the lists can grow.
 */
const WORD_BEFORE: ReadonlySet<string> = new Set((
  '广东 山东 楼东 河东 城东 村东 路东 街东 桥东 江东 关东 房东 股东 远东 华东 以东 偏东 ' +
  '正东 周日 假日 节日 生日 每日 昨日 今日 明日 次日 当日 平日 终日 旭日 红日 落日 白日 ' +
  '烈日 往日 昔日 连日 逐日 即日 翌日 某日 本日 同日 前日 区内 园内 楼内 室内 屋内 院内 ' +
  '校内 场内 市内 省内 县内 镇内 村内 国内 境内 城内 店内 车内 户内 厂内 库内 体内 年内 ' +
  '月内 期内 围内 以内 之内 之前 以前 目前 此前 先前 事前 提前 当前 门前 面前 眼前 跟前 ' +
  '生前 空前 日前 年前 天前 周前 会前 饭前 节前 考前 店前 楼前 屋前 房前 车前 床前 小溪 ' +
  '山溪 清溪 茂盛 旺盛 丰盛 强盛 昌盛 兴盛 繁盛 全盛 鼎盛 白银 金银 收银 水银 水浒 子孙 ' +
  '儿孙 外孙 长孙 曾孙 树叶 茶叶 落叶 枝叶 荷叶 绿叶 红叶 烟叶 菜叶 竹叶 快乐 娱乐 音乐 ' +
  '欢乐 安乐 可乐 俱乐 享乐 玩乐 游乐 康乐 大海 沿海 出海 下海 航海 深海 人海 临海 龙凤 ' +
  '诚信 微信 短信 书信 来信 相信 通信 电信 迷信 威信 自信 确信 守信 失信 征信 不曾 何曾 ' +
  '未曾 也曾 安宁 康宁 丁宁 东西 以西 城西 河西 偏西 正西 提高 升高 最高 很高 太高 较高 ' +
  '增高 身高 偏高 过高 更高 银杏 花园 公园 校园 家园 田园 果园 庄园 乐园 菜园 茶园 陵园 ' +
  '睡莲 白莲 青莲 织锦 什锦 再三 周三 初三 高三 老三 人马 兵马 骑马 赛马 斑马 车马 健康 ' +
  '安康 小康 地铁 钢铁 高铁 废铁 打铁 一双 成双 无双 平安 公安 治安 保安 晚安 资深 高深 ' +
  '加深 幽深 纵深 马上 早上 晚上 以上 楼上 网上 线上 身上 街上 桥上 墙上 天上 海上 车上 ' +
  '台上 手上 精英 群英 恐龙 巨龙 长龙 水龙 第二 十二 初二 高二 周二 老二 香港 海港 渔港 ' +
  '出港 进港 入港 昆仑 之后 以后 然后 最后 背后 前后 事后 过后 今后 随后 落后 午后 饭后 ' +
  '稍后 日后 此后 先后 善后 熔岩 砂岩 页岩 水井 油井 天井 矿井 古井 屋顶 楼顶 山顶 头顶 ' +
  '封顶 房顶 华侨 归侨 浇灌 收集 采集 搜集 聚集 召集 募集 汇集 征集 密集 筹集 云集'
).split(' '));

const WORD_AFTER: ReadonlySet<string> = new Set((
  '东方 东西 东风 东升 东京 东亚 东莞 西方 西瓜 西装 西药 西餐 西式 西藏 江湖 光线 光明 ' +
  '光荣 光彩 光纤 光伏 光临 光照 光亮 光滑 光顾 亭子 井盖 井水 山寨 山水 安全 安置 安装 ' +
  '安排 安静 安心 安稳 安定 安检 安慰 安保 安宁 安逸 安抚 安放 安危 安然 安顿 安徽 安卓 ' +
  '安监 海鲜 海关 海洋 海外 海报 海运 海绵 海量 海滩 凤凰 凤梨 毅力 毅然 营业 营销 营养 ' +
  '营商 营运 营造 营救 宝宝 宝贝 宝马 宝石 宝贵 宝藏 林荫 林木 林地 林业 林立 林间 林带 ' +
  '林权 北京 博物 博士 博客 博彩 博弈 鹤立 秀丽 秀美 秀才 场地 场所 场馆 场合 场景 场面 ' +
  '场子 场次 园林 园艺 园丁 园长 城管 城乡 城墙 庄稼 庄严 庄重 乐器 乐队 乐观 乐意 乐趣 ' +
  '乐于 仁爱 仁慈 仁义 青年 青春 青少 辉煌 许多 许可 许愿 社会 社保 社团 社工 社交 兴趣 ' +
  '兴奋 兴起 兴建 兴旺 兴办 兴致 农业 农民 农药 农产 农贸 头发 头盔 头疼 头痛 头晕 头条 ' +
  '上班 上网 上午 上级 上访 上报 上涨 上市 沟通 宅基 内容 内部 内心 内存 内涝 内衣 内科 ' +
  '地皮 地方 地址 地面 地段 地块 地区 地铁 地产 地点 地图 地板 地基 地震 地摊 地质 地位 ' +
  '地球 地步 英语 英文 英国 英雄 英俊 英才 口罩 口号 口碑 口腔 口味 口径 美食 美容 美术 ' +
  '美好 美丽 美元 美国 美女 美观 美发 美甲 美味'
).split(' '));

/**
 * A short ending on an estate word (锦园, 康城) is often the tail of a longer estate name (千锦园, 健康城,
 * both in the sample): like a generic full name, it must not be glued to a Han character before it.
 */
const ESTATE_TAIL_RE = /[园城苑府]$/;
/** Besides the word ends of isEmbeddedName, what often stands right before a place: 我们锦园, 去康城. */
const ESTATE_LEAD_RE = /[们去来叫经过]/;

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
  return short !== full && short.length >= 2 && !COMMON_WORDS.has(short) && !SUFFIX_ONLY.has(short);
}

/** The short is an ordinary word, so even its full name (新村社区) is easily part of another name. */
export function isGenericShort(short: string): boolean {
  return COMMON_WORDS.has(short);
}

/** The text around a bare short form turns it into a different word or name. */
export function isBlockedShort(text: string, start: number, end: number): boolean {
  BLOCKING_NEXT_RE.lastIndex = end;
  if (BLOCKING_NEXT_RE.test(text)) return true;
  if (end - start !== 2) return start > 0 && isDateTail(text, start);
  if (WORD_AFTER.has(text.slice(end - 1, end + 1))) return true;
  if (start === 0) return false;
  if (isDateTail(text, start) || WORD_BEFORE.has(text.slice(start - 1, start + 1))) return true;
  return ESTATE_TAIL_RE.test(text[end - 1]!) && isEmbeddedName(text, start) && !ESTATE_LEAD_RE.test(text[start - 1]!);
}

function isDateTail(text: string, start: number): boolean {
  return DATE_HEAD_RE.test(text[start]!) && NUMERAL_RE.test(text[start - 1]!);
}

/** A generic full name glued to the end of a longer name. */
export function isEmbeddedName(text: string, start: number): boolean {
  const before = text[start - 1];
  return before !== undefined && HAN_RE.test(before) && !WORD_END_RE.test(before);
}

/**
 * A foreign province/city short (江苏, 南京, 湖南) followed by a side or edge word is a direction, not the
 * place: 湖南边, 河北岸. Full foreign names ending 市/区 keep the blocking list's exceptions (沙河市场, X区域).
 */
const FOREIGN_SHORT_NEXT_RE = /[边侧面岸端头部]/y;

/**
 * A foreign short whose first character ends the word before it (县长|春村, 提成|都): 长春, 长沙 and 成都 in
 * the 2020 sample. Titles ending 长 and verbs ending 成 are the ones seen; others may need adding.
 */
const FOREIGN_GLUE_BEFORE: ReadonlySet<string> = new Set((
  '县长 市长 镇长 村长 校长 家长 院长 组长 队长 局长 处长 科长 部长 厂长 站长 所长 会长 班长 行长 延长 增长 ' +
  '成长 生长 提成 完成 变成 组成 造成 形成 达成 建成 构成 促成 赞成'
).split(' '));

export function isBlockedForeign(text: string, start: number, end: number, short: boolean): boolean {
  if (short) {
    FOREIGN_SHORT_NEXT_RE.lastIndex = end;
    return FOREIGN_SHORT_NEXT_RE.test(text) || (start > 0 && FOREIGN_GLUE_BEFORE.has(text.slice(start - 1, start + 1)));
  }
  const last = text[end - 1];
  const next = text[end];
  return (last === '市' && next !== undefined && '场民政容'.includes(next)) || (last === '区' && next === '域');
}
