import { CITIES, COUNTIES, PROVINCES } from './gazetteer-areas.js';

/**
 * Names that place a message outside the district: other provinces, cities and counties. A match of
 * ours inside such a message is usually the other place's namesake (海沧区新阳街道马銮社区, 江苏南京宁海路).
 */
export interface ForeignName { surface: string; short: boolean }

/** 江苏省 → 江苏, 广西壮族自治区 → 广西. */
const PROVINCE_SUFFIX_RE = /(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$/;

/**
 * City short names people write without 市. Only big cities whose short name is no ordinary word:
 * 中山 (中山路), 来宾 (guests), 三明 (三明治), 安康, 日照 and the like need their 市.
 */
const CITY_SHORTS: ReadonlySet<string> = new Set([
  '石家庄', '太原', '呼和浩特', '包头', '沈阳', '大连', '长春', '哈尔滨', '南京', '无锡', '徐州', '常州', '苏州', '南通',
  '扬州', '杭州', '宁波', '温州', '绍兴', '合肥', '芜湖', '福州', '莆田', '泉州', '漳州', '南平', '龙岩', '宁德', '南昌',
  '赣州', '济南', '青岛', '烟台', '潍坊', '郑州', '洛阳', '武汉', '长沙', '广州', '深圳', '珠海', '汕头', '佛山', '东莞',
  '湛江', '南宁', '桂林', '海口', '三亚', '成都', '贵阳', '遵义', '昆明', '拉萨', '西安', '兰州', '西宁', '银川', '乌鲁木齐',
]);

const OUTSIDE = ['香港', '澳门', '台湾', '香港特别行政区', '澳门特别行政区', '台湾省'];

/** Every foreign name for a district with this 6-digit code; its own province and city are left out. */
export function foreignNames(districtCode: string): ForeignName[] {
  const province = districtCode.slice(0, 2);
  const city = districtCode.slice(0, 4);
  const out: ForeignName[] = OUTSIDE.map((surface) => ({ surface, short: surface.length === 2 }));
  for (const entry of PROVINCES.split(' ')) {
    const code = entry.slice(0, 2);
    const name = entry.slice(2);
    if (code === province) continue;
    out.push({ surface: name, short: false });
    const short = name.replace(PROVINCE_SUFFIX_RE, '');
    if (short !== name && short.length >= 2) out.push({ surface: short, short: true });
  }
  for (const entry of CITIES.split(' ')) {
    const code = entry.slice(0, 4);
    const name = entry.slice(4);
    if (code === city) continue;
    out.push({ surface: name, short: false });
    const short = name.replace(/市$/, '');
    if (short !== name && CITY_SHORTS.has(short)) out.push({ surface: short, short: true });
  }
  for (const name of COUNTIES.split(' ')) out.push({ surface: name, short: false });
  return out;
}
