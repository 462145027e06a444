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
    const lamp = '侨英街道凤林菜市场门口路灯坏了';
    const drain = '侨英街道凤林菜市场门口下水道堵了';
    expect(sameProblem(lamp, townPlaceWords({ ...district, aliases: [] }, 'T1'), drain)).toBe(true);
    expect(sameProblem(lamp, townPlaceWords(district, 'T1'), drain)).toBe(false);
  });

  it('still matches two tellings of one problem at that place', () => {
    expect(sameProblem('孙厝社区凤林菜市场门口下水道堵了，污水横流', townPlaceWords(district, 'T1'), '凤林菜市场门口下水道又堵了')).toBe(true);
  });
});
