import { describe, expect, it } from 'vitest';
import { sameProblem } from '../src/core/dedupe.js';
import { type District } from '../src/core/gazetteer.js';
import { townPlaceWords } from '../src/core/district.js';

const district: District = {
  code: 'D', name: '集美区', short: '集美',
  towns: [{ code: 'T1', name: '侨英街道', short: '侨英', type: '街道' }],
  places: [{ code: 'P1', townCode: 'T1', name: '孙厝社区', short: '孙厝', kind: '社区' }],
  aliases: [{ alias: '凤林菜市场', townCode: 'T1' }],
};

/** Two short reports at one place are compared by what is wrong there, not by the place they share. */
describe('dedupe compares problems without their place words', () => {
  it("cuts the office's aliases too: a shared landmark the office named does not make two problems one", () => {
    // 龙舟池 has no locative word (门口) and no landmark word (公园, 大桥): no spot (spots.ts), and no business
    // either, so only the alias cuts it.
    const withPool = { ...district, aliases: [{ alias: '龙舟池', townCode: 'T1' }] };
    const lamp = '侨英街道龙舟池路灯坏了';
    const drain = '侨英街道龙舟池下水道堵了';
    expect(sameProblem(lamp, townPlaceWords({ ...district, aliases: [] }, 'T1'), drain)).toBe(true);
    expect(sameProblem(lamp, townPlaceWords(withPool, 'T1'), drain)).toBe(false);
  });

  it('at one spot or business, one kind of problem told in other words is one problem; two kinds stay two', () => {
    const words = townPlaceWords(district, 'T1');
    expect(sameProblem('加工厂噪音大', words, '加工厂机器声音太吵', 0.35)).toBe(true);
    expect(sameProblem('二中对面烧烤店油烟大', words, '二中对面烧烤店烟味很重，熏得不敢开窗', 0.35)).toBe(true);
    expect(sameProblem('菜市场门口垃圾堆了好几天', words, '菜市场门口垃圾没人清运', 0.35)).toBe(true);
    expect(sameProblem('后溪中学门口早晚高峰堵车', words, '后溪中学上学放学时候堵车很厉害', 0.35)).toBe(true);
    expect(sameProblem('工地噪音扰民到半夜', words, '工地渣土车乱停占道', 0.35)).toBe(false);
    expect(sameProblem('小学门口堵车严重', words, '小学门口路灯不亮', 0.35)).toBe(false);
    expect(sameProblem('养猪场臭气熏天', words, '养猪场粪水直排河道', 0.35)).toBe(false);
  });

  it('a landmark named without 门口 (a park, a bridge, a school) is a spot: two problems there stay two', () => {
    const words = townPlaceWords(district, 'T1');
    expect(sameProblem('侨英街道凤林公园厕所很脏没人打扫', words, '凤林公园路灯坏了', 0.35)).toBe(false);
    expect(sameProblem('集美大桥下的垃圾堆满了', words, '集美大桥下积水严重', 0.35)).toBe(false);
    expect(sameProblem('嘉庚体育馆停车难', words, '嘉庚体育馆噪音扰民', 0.35)).toBe(false);
    expect(sameProblem('杏林湾地铁站出口电动车乱停', words, '杏林湾地铁站电梯经常坏', 0.35)).toBe(false);
    // … and one problem told twice there is still one.
    expect(sameProblem('凤林公园的路灯坏了好几天，晚上散步很黑', words, '凤林公园里路灯不亮', 0.35)).toBe(true);
    expect(sameProblem('集美大桥下积水严重', words, '集美大桥下面一下雨就积水', 0.35)).toBe(true);
    expect(sameProblem('嘉庚体育馆周边停车难', words, '嘉庚体育馆停车位太少，停车很难', 0.35)).toBe(true);
    expect(sameProblem('杏林湾地铁站出口电动车乱停，行人走不过去', words, '杏林湾地铁站门口电动车停得乱七八糟', 0.35)).toBe(true);
  });

  it('still matches two tellings of one problem at that place', () => {
    expect(sameProblem('孙厝社区凤林菜市场门口下水道堵了，污水横流', townPlaceWords(district, 'T1'), '凤林菜市场门口下水道又堵了')).toBe(true);
  });

  it('two spots in one place are two problems, unless the texts are one text posted twice', () => {
    const words = townPlaceWords(district, 'T1');
    expect(sameProblem('孙厝社区公交站旁边的井盖丢了', words, '孙厝社区小学门口的井盖丢了', 0.31)).toBe(false);
    expect(sameProblem('孙厝社区菜市场门口乱摆摊，占道经营', words, '孙厝社区学校门口乱摆摊，占道经营', 0.67)).toBe(false);
    expect(sameProblem('孙厝社区菜市场门口乱摆摊，占道经营', words, '孙厝社区学校门口乱摆摊，占道经营', 0.9)).toBe(true);
  });

  it('at one spot, two problems stay two: the spot and words such as 严重 say nothing of what is wrong', () => {
    const words = townPlaceWords(district, 'T1');
    expect(sameProblem('孙厝社区小学门口积水严重，下雨就过不去', words, '孙厝社区小学门口车辆乱停很严重，学生过马路危险', 0.3)).toBe(false);
    expect(sameProblem('杏林湾路口红绿灯坏了', words, '杏林湾路口积水很深，车过不去', 0.31)).toBe(false);
    expect(sameProblem('凤林菜市场门口垃圾堆了好几天', words, '凤林菜市场门口占道经营，摊贩乱摆', 0.32)).toBe(false);
    expect(sameProblem('孙厝社区小学门口的井盖丢了', words, '孙厝社区小学门口井盖被人偷了，很危险', 0.62)).toBe(true);
    expect(sameProblem('公交站旁边的路灯坏了', words, '公交站旁边路灯不亮，晚上很黑', 0.55)).toBe(true);
    expect(sameProblem('杏林湾路口红绿灯坏了，早高峰堵得很厉害', words, '杏林湾路口的红绿灯不亮了，车都堵死了', 0.39)).toBe(true);
  });

  it('one spot told two ways is one spot, and 附近 after a verb names none', () => {
    const words = townPlaceWords(district, 'T1');
    expect(sameProblem('印斗路菜市场旁边的垃圾桶好几天没人清运，臭气熏天', words, '印斗路菜市场边上垃圾桶几天没清运了', 0.4)).toBe(true);
    expect(sameProblem('杏林湾路与银江路交叉口红绿灯坏了，早高峰堵得很厉害', words, '银江路杏林湾路路口的红绿灯不亮了', 0.35)).toBe(true);
    expect(sameProblem('搅拌站的灰尘和噪音严重影响附近居民休息', words, '孙厝社区附近建了搅拌站，噪音灰尘很大', 0.35)).toBe(true);
  });

  it('one business with two problems stays two, as one spot does; one problem told two ways is still one', () => {
    const words = townPlaceWords(district, 'T1');
    expect(sameProblem('二中对面烧烤店油烟大，熏得楼上不敢开窗', words, '二中对面烧烤店半夜喧哗', 0.35)).toBe(false);
    expect(sameProblem('孙厝社区那家超市卖过期食品', words, '孙厝社区超市卖烟给未成年人', 0.3)).toBe(false);
    expect(sameProblem('孙厝社区村口小卖部卖过期食品', words, '孙厝社区村口小卖部卖烟给未成年人', 0.3)).toBe(false);
    expect(sameProblem('印斗菜市场垃圾堆了好几天', words, '印斗菜市场占道经营，摊贩乱摆', 0.32)).toBe(false);
    expect(sameProblem('孙厝社区那家超市卖过期面包', words, '孙厝社区超市卖的面包过期了', 0.3)).toBe(true);
    expect(sameProblem('孙厝社区村口小卖部卖过期食品', words, '孙厝社区村口那家小卖部卖的牛奶过期了', 0.3)).toBe(true);
    expect(sameProblem('天凤路那家烧烤店油烟很大，熏得楼上住户不敢开窗', words, '天凤路烧烤店油烟太大了，楼上的住户窗户都不敢开', 0.4)).toBe(true);
    expect(sameProblem('孙厝社区门口的网吧接纳未成年人', words, '孙厝社区门口网吧经常有未成年人进出', 0.4)).toBe(true);
  });
});
