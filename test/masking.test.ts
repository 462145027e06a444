import { describe, expect, it } from 'vitest';
import { containsUnmaskedPii, maskPersonalData } from '../src/core/masking.js';

const mask = (text: string, houseNumbers = false): string => maskPersonalData(text, { houseNumbers }).text;

describe('maskPersonalData: mobile numbers', () => {
  it.each([
    ['联系电话13812345678', '联系电话138****5678'],
    ['电话138-1234-5678请回电', '电话138****5678请回电'],
    ['138 1234 5678', '138****5678'],
    ['+86 138 1234 5678', '+86 138****5678'],
    ['+8615912345678', '+86159****5678'],
    ['手机：１３８１２３４５６７８', '手机：１３８****５６７８'],
    ['王阿姨19912345678，李叔17712345678', '王阿姨199****5678，李叔177****5678'],
  ])('%s', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it('counts what it masked', () => {
    expect(maskPersonalData('13812345678 或 13987654321').found).toEqual({ phone: 2 });
  });
});

describe('maskPersonalData: numbers written in groups', () => {
  // Each case: the input, the masked text, and the kind found. Digits go, the documented shape stays, and
  // masking the result again changes nothing.
  const expectMasked = (input: string, expected: string, kind: string): void => {
    const { text, found } = maskPersonalData(input);
    expect(text).toBe(expected);
    expect(found).toEqual({ [kind]: 1 });
    expect(maskPersonalData(text)).toEqual({ text, found: {} });
  };

  it.each([
    ['138\u30001234\u30005678', '138****5678'],
    ['138－1234－5678', '138****5678'],
    ['138.1234.5678', '138****5678'],
    ['138 1234  5678', '138****5678'],
    ['138\n1234\n5678', '138****5678'],
    ['1381 234 5678', '138****5678'],
    ['138 123 45678', '138****5678'],
    ['138/1234/5678', '138****5678'],
    ['(138)1234 5678', '138****5678'],
    ['138-1234 5678', '138****5678'],
    ['手机：１３８　１２３４　５６７８', '手机：１３８****５６７８'],
  ])('mobile %j', (input, expected) => expectMasked(input, expected, 'phone'));

  it.each([
    ['0592－1234567', '0592－****567'],
    ['0592.1234567', '0592.****567'],
    ['0592-123-4567', '0592-****567'],
    ['0592 601 2345', '0592 ****345'],
    ['+86 592 6012345', '+86 592 ****345'],
    ['电话：601-2345', '电话：****345'],
    ['05926012345', '0592****345'],
  ])('landline %j', (input, expected) => expectMasked(input, expected, 'landline'));

  it.each([
    ['电话号码6012345', '电话号码****345'],
    ['电话号码：6012345', '电话号码：****345'],
    ['座机号6012345', '座机号****345'],
    ['联系方式：6012345', '联系方式：****345'],
    ['打6012345找我', '打****345找我'],
  ])('local landline after a phone word %j', (input, expected) => expectMasked(input, expected, 'landline'));

  it.each([
    ['身份证３５０２１１１９９００１０１１２３Ｘ', '身份证3502**********123X'],
    ['350211 1990 0101 1234', '3502**********1234'],
    ['3502 1119 9001 0112 3X', '3502**********123X'],
    ['350211-1990-0101-123X', '3502**********123X'],
    ['350211\u30001990\u30000101\u3000123X', '3502**********123X'],
  ])('身份证 %j', (input, expected) => expectMasked(input, expected, 'id_card'));

  it.each([
    ['银行卡号622202 1234567890128', '银行卡号6222***********0128'],
    ['工行卡 6222 0212 3456 7890 123', '工行卡 6222***********0123'],
    ['6222\u30000212\u30003456\u30007890\u3000128', '6222***********0128'],
    ['6222－0212－3456－7890－128', '6222***********0128'],
  ])('bank card %j', (input, expected) => expectMasked(input, expected, 'bank_card'));

  it('keeps two numbers in one run apart', () => {
    expect(maskPersonalData('6012345 13812345678')).toEqual({ text: '6012345 138****5678', found: { phone: 1 } });
    expect(maskPersonalData('13812345678 13987654321').found).toEqual({ phone: 2 });
    expect(mask('电话：0592-6012345-8001')).toBe('电话：0592-****345-8001');
  });

  it.each(['0.123456789', '12.345.678', '300/500', '2026.11.27 15:30', '面积1234.56平方米'])('does not join %j into a number', (text) => {
    expect(mask(text, true)).toBe(text);
  });
});

describe('maskPersonalData: mobile numbers in Chinese numerals', () => {
  it.each([
    ['电话一三八一二三四五六七八', '电话一三八****五六七八'],
    ['手机幺三八一二三四五六七八', '手机幺三八****五六七八'],
    ['回电一五九零零零〇一二三四', '回电一五九****一二三四'],
  ])('%s', (input, expected) => {
    expect(maskPersonalData(input)).toEqual({ text: expected, found: { phone: 1 } });
    expect(mask(expected)).toBe(expected);
  });

  it.each(['一三五七九', '第一二三四五六七八九十条', '二三八一二三四五六七八'])('keeps %s', (text) => {
    expect(mask(text)).toBe(text);
  });
});

describe('maskPersonalData: landlines', () => {
  it.each([
    ['物业座机0592-1234567', '物业座机0592-****567'],
    ['(0592)1234567', '(0592)****567'],
    ['（0592）6012345', '（0592）****345'],
    ['北京010-12345678', '北京010-*****678'],
    ['电话：6012345', '电话：****345'],
    ['座机 60123456', '座机 *****456'],
  ])('%s', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });
});

describe('maskPersonalData: 身份证号', () => {
  it.each([
    ['身份证35021119900101123X', '身份证3502**********123X'],
    ['11010519491231002x', '1101**********002x'],
    ['350211200506150070', '3502**********0070'],
    // Wrong check digit but shaped like an id (region, birth date): still masked, a leak costs more.
    ['身份证号350211199001011234。', '身份证号3502**********1234。'],
    ['350211 19900101 123X', '3502**********123X'],
    ['老身份证350211900101123', '老身份证3502*******1123'],
  ])('%s', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it('reports id cards as id_card', () => {
    expect(maskPersonalData('35021119900101123X').found).toEqual({ id_card: 1 });
  });
});

describe('maskPersonalData: bank cards', () => {
  it.each([
    ['6222021234567890128', '6222***********0128'],
    ['卡号6228480012345671', '卡号6228********5671'],
    ['4392 2500 1234 5673', '4392********5673'],
    // Not Luhn-valid, but named as a card number by the resident.
    ['银行卡号：6222021234567890123', '银行卡号：6222***********0123'],
  ])('%s', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it('leaves a long number that is neither Luhn-valid nor called a card', () => {
    expect(mask('订单号6222021234567890123')).toBe('订单号6222021234567890123');
  });
});

describe('maskPersonalData: licence plates', () => {
  it.each([
    ['闽D·12345违停', '闽D·***45违停'],
    ['闽D12345', '闽D***45'],
    ['车牌闽d3k5x7', '车牌闽d***x7'],
    ['粤B D12345', '粤B ****45'],
    ['闽D·D12345新能源', '闽D·****45新能源'],
    ['闽DF12345', '闽D****45'],
    ['京A12345学', '京A***45学'],
    ['驾校的车闽D1234学', '驾校的车闽D**34学'],
    ['闽D·１２３４５', '闽D·***４５'],
    ['闽Ｄ１２３４５', '闽Ｄ***４５'],
    ['闽 D12345', '闽 D***45'],
  ])('%s', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it.each(['新A股上市', '新iPhone15', '闽DA都是字母', '云A1'])('does not take %s for a plate', (text) => {
    expect(mask(text)).toBe(text);
  });
});

describe('maskPersonalData: house numbers', () => {
  it.each([
    ['3号楼502室漏水', '3号楼***室漏水'],
    ['12栋1单元301楼上噪音', '12栋1单元***楼上噪音'],
    ['A座1201', 'A座****'],
    ['住在1802室', '住在****室'],
    ['15幢2单元-1103', '15幢2单元-****'],
    ['12-301住户私搭乱建', '12-***住户私搭乱建'],
    ['3#502楼上漏水', '3#***楼上漏水'],
  ])('masks %s when asked', (input, expected) => {
    expect(mask(input, true)).toBe(expected);
  });

  // What groups and write-ups read: the clause keeps its problem, the household is not there.
  it.each([
    ['3号楼502室楼上漏水', '3号楼某室楼上漏水'],
    ['12栋1单元301楼上噪音', '12栋1单元某室楼上噪音'],
    ['15幢2单元-1103的空调外机', '15幢2单元某室的空调外机'],
    ['住在1802室', '住在某室'],
    ['3号楼1203房漏水', '3号楼某房漏水'],
    ['12-301住户私搭乱建', '12号楼某室住户私搭乱建'],
  ])('writes the room of %s as a word when asked', (input, expected) => {
    const { text, found } = maskPersonalData(input, { houseNumbers: 'words' });
    expect(text).toBe(expected);
    expect(found).toEqual({ house_number: 1 });
  });

  it.each(['3号楼502室漏水', '12号楼3单元502室'])('keeps house numbers by default: %s', (text) => {
    expect(mask(text)).toBe(text);
  });

  // Counts after a building word are not rooms.
  it.each(['3栋2026年建成', '每月1500房租', '一座650吨的加油站', '3号楼2单元', '5楼', '幸福路12号', '全栋300多户', '小区共12栋1500套房', '该栋2019届', '价格100-200元', '距离300-500米', '2019-2020年', '3-5天', '12-301路公交'])('keeps %s', (text) => {
    expect(mask(text, true)).toBe(text);
  });
});

describe('maskPersonalData: ordinary numbers stay readable', () => {
  it.each([
    '2026年11月26日反映',
    '2026-11-26 09:30',
    '补贴3000元',
    '涉及50户',
    '3路公交车',
    '2019年',
    '记录JM-2026-0042已办结',
    '12345热线',
    '投诉了20次，等了180天',
    '占地1200平方米',
    '400-123-4567客服',
    'B2栋',
    '面积约0.5公顷',
    '2026年11月27日',
    '20261127',
    '2026.11.27',
    '2026-11-27',
    '12000元',
    '补贴1380000元',
    '12345',
    '15:30',
    '3.5米',
    '1.2.3',
  ])('%s', (text) => {
    expect(mask(text, true)).toBe(text);
    expect(containsUnmaskedPii(text, { houseNumbers: true })).toEqual([]);
  });
});

describe('maskPersonalData: a realistic forward', () => {
  const forward =
    '【转】集美区杏林街道幸福路12号3号楼502室住户王女士（电话13812345678，身份证35021119900101123X）反映：' +
    '楼下闽D·12345长期占用消防通道，2026年11月26日已报物业（座机0592-6012345），至今未处理。补偿款请打卡号6222021234567890128。';

  it('masks every kind and keeps the story', () => {
    const { text, found } = maskPersonalData(forward, { houseNumbers: true });
    expect(found).toEqual({ phone: 1, id_card: 1, plate: 1, landline: 1, bank_card: 1, house_number: 1 });
    expect(text).toContain('幸福路12号3号楼***室');
    expect(text).toContain('138****5678');
    expect(text).toContain('3502**********123X');
    expect(text).toContain('闽D·***45');
    expect(text).toContain('0592-****345');
    expect(text).toContain('6222***********0128');
    expect(text).toContain('2026年11月26日');
    expect(containsUnmaskedPii(text, { houseNumbers: true })).toEqual([]);
  });

  it('is idempotent', () => {
    const once = maskPersonalData(forward, { houseNumbers: true }).text;
    const twice = maskPersonalData(once, { houseNumbers: true });
    expect(twice.text).toBe(once);
    expect(twice.found).toEqual({});
  });
});

describe('containsUnmaskedPii', () => {
  it('lists the kinds still readable', () => {
    expect(containsUnmaskedPii('回电13812345678，车闽D12345').sort()).toEqual(['phone', 'plate']);
  });

  it('returns nothing for text without digits', () => {
    expect(containsUnmaskedPii('路灯坏了，晚上很黑')).toEqual([]);
  });

  it('checks house numbers only when asked', () => {
    expect(containsUnmaskedPii('3号楼502室')).toEqual([]);
    expect(containsUnmaskedPii('3号楼502室', { houseNumbers: true })).toEqual(['house_number']);
  });
});

describe('maskPersonalData: numbers as residents really write them', () => {
  // Masked in the documented shape, counted once, and masking the result again changes nothing.
  const expectMasked = (input: string, expected: string, found: Record<string, number>): void => {
    const once = maskPersonalData(input);
    expect(once).toEqual({ text: expected, found });
    expect(maskPersonalData(once.text)).toEqual({ text: once.text, found: {} });
  };

  it.each([
    ['138 - 1234 - 5678', '138****5678'],
    ['138 \n 1234 5678', '138****5678'],
    ['138—1234—5679', '138****5679'],
    ['138–1234–5678', '138****5678'],
    ['138·1234·5678', '138****5678'],
    ['138、1234、5678', '138****5678'],
    ['138_1234_5678', '138****5678'],
    ['138\u200b1234\u200b5678', '138****5678'],
  ])('mobile with separator %j', (input, expected) => expectMasked(input, expected, { phone: 1 }));

  it('landline with an em dash', () => expectMasked('座机0592—6012345', '座机0592—****345', { landline: 1 }));

  it.each([
    ['一 三 八 一 二 三 四 五 六 七 八', '一三八****五六七八'],
    ['一三八 一二三四 五六七八', '一三八****五六七八'],
    ['一三八1234五六七八', '一三八****五六七八'],
    ['138一二三四5678', '138****5678'],
    ['壹叁捌壹贰叁肆伍陆柒捌', '壹叁捌****伍陆柒捌'],
  ])('mobile in Chinese numerals %j', (input, expected) => expectMasked(input, expected, { phone: 1 }));

  it('landline in Chinese numerals', () => expectMasked('电话：零五九二-六零一二三四五', '电话：零五九二-****三四五', { landline: 1 }));

  it('a name that ends in a numeral stays a name', () => expectMasked('联系人张三13812345678', '联系人张三138****5678', { phone: 1 }));

  it.each([
    ['身份证35021119900101123', '身份证3502*********1123'],
    ['证件号：3502111990010112345', '证件号：3502111990010112345'], // 19 digits: no id
  ])('an id-length number after 身份证/证件号 %j', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });

  it('two mobiles typed without a break', () => expectMasked('1391234567813812345678', '139****5678138****5678', { phone: 2 }));

  it('a mobile a bundle split over two lines after a phone word', () => {
    const bundle = '王建国 2025-12-29 17:20：我电话138\n王建国 2025-12-29 17:21：12345678\n李秀英 2025-12-29 17:22：路灯坏了';
    expectMasked(bundle, '王建国 2025-12-29 17:20：我电话138\n王建国 2025-12-29 17:21：****5678\n李秀英 2025-12-29 17:22：路灯坏了', { phone: 1 });
  });
});

describe('maskPersonalData: contacts', () => {
  it.each([
    ['邮箱wangxm@163.com', '邮箱wa****@163.com', 'email'],
    ['我邮箱lixy@qq.com，微信lxy_1990', '我邮箱li****@qq.com，微信lx****90', undefined],
    ['微信号：wxid_wangxm1990', '微信号：wx****90', 'im_account'],
    ['加vx wangxm88 详谈', '加vx wa****88 详谈', 'im_account'],
    ['wxid_wangxm1990', 'wx****90', 'im_account'],
    ['QQ 123456789', 'QQ 12****89', 'im_account'],
    ['扣扣号：12345', '扣扣号：1****5', 'im_account'],
    ['护照E12345678', '护照E1****78', 'passport'],
  ])('%s', (input, expected, kind) => {
    const once = maskPersonalData(input);
    expect(once.text).toBe(expected);
    if (kind) expect(once.found).toEqual({ [kind]: 1 });
    expect(maskPersonalData(once.text)).toEqual({ text: once.text, found: {} });
  });

  // wx / qq inside an id (minyi's own msg_… ids among them) are letters of the id, not the word that names an account.
  it.each(['用微信支付', '微信群里说的', 'QQ群很热闹', '护照办理进度', 'abc@def', 'msg_mwz6bk4c0wxtvfg070yvq8', 'job_x0qq1234567ab', 'wxabcdef123'])('keeps %s', (text) => {
    expect(mask(text)).toBe(text);
  });
});

describe('maskPersonalData: plates with a space in the serial', () => {
  it.each([
    ['闽DF 12345', '闽D****45'],
    ['车闽DF 12345', '车闽D****45'],
    ['闽D 123 45', '闽D ***45'],
  ])('%s', (input, expected) => {
    expect(maskPersonalData(input)).toEqual({ text: expected, found: { plate: 1 } });
    expect(mask(expected)).toBe(expected);
  });
});

describe('maskPersonalData: counts and dates are not numbers to mask', () => {
  it.each([
    '联系 1234567 户居民',
    '手机 1234567 台',
    '电话 6012345 次',
    '安排协商 JM-XS-2026-0001 2026-12-05 15:00',
    '例如「安排协商 JM-XS-2026-0001 2026-12-05 15:00」',
    'JM-2026-0042 2026-11-27 09:30',
    '2026-11-27 08:00—2026-11-28',
    '第一二三四五六七八九十条',
    '一一对应，三三两两',
  ])('%s', (text) => {
    expect(maskPersonalData(text, { houseNumbers: true })).toEqual({ text, found: {} });
  });

  it('still masks a phone after a date', () => {
    expect(mask('2026-12-05 13812345678')).toBe('2026-12-05 138****5678');
    expect(mask('电话：6012345，共3户')).toBe('电话：****345，共3户');
  });
});
