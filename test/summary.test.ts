import { describe, expect, it } from 'vitest';
import { summarize } from '../src/core/triage.js';
import { groupQuote } from '../src/app/outward-text.js';
import { maskPersonalData } from '../src/core/masking.js';
import { residentSentences } from '../src/core/writeup-text.js';

/** The one line a receipt, 待办, the bulletin and an agenda show for a record: the problem, not the contact. */
describe('a record summary', () => {
  it('leaves out whom to contact, wherever the message says it', () => {
    expect(summarize('居民反映：小区二次供水水箱长期没有清洗，自来水有异味，联系人电话139****5678。')).toBe('居民反映：小区二次供水水箱长期没有清洗，自来水有异味');
    expect(summarize('139****5678 反映小区路灯坏了')).toBe('小区路灯坏了');
    expect(summarize('灌口镇上头亭社区路口积水\n联系人陈先生 139****5678')).toBe('灌口镇上头亭社区路口积水');
  });

  it('keeps numbers that are the problem, and a message that is nothing but a contact as it is', () => {
    expect(summarize('灌口镇一家工厂拖欠30000元工资，工人讨薪无门')).toBe('灌口镇一家工厂拖欠30000元工资，工人讨薪无门');
    expect(summarize('联系人陈先生139****5678')).toBe('联系人陈先生139****5678');
  });

  it('keeps a clause whose masked plate is part of the problem, in the summary and in what groups read', () => {
    const masked = maskPersonalData('小区门口，闽D12345的车长期占用消防通道，物业不管，联系人陈先生13912345678').text;
    expect(summarize(masked)).toBe('小区门口，闽D***45的车长期占用消防通道，物业不管');
    expect(groupQuote(masked)).toBe('小区门口，闽D***45的车长期占用消防通道，物业不管。');
    expect(groupQuote('小区路灯坏了，我叫王**，139****5678')).toBe('小区路灯坏了。');
  });

  it('leaves out where the resident lives, and keeps a room that is where the problem is', () => {
    expect(summarize('我家住在4号楼2单元601，楼道灯坏了一个月')).toBe('楼道灯坏了一个月');
    expect(summarize('住在3号楼的居民反映电梯经常坏')).toBe('住在3号楼的居民反映电梯经常坏');
    expect(groupQuote('杏北社区3号楼502室楼上漏水一个月了，物业不管')).toBe('杏北社区3号楼某室楼上漏水一个月了，物业不管。');
    expect(groupQuote('楼道灯坏了，我叫王**，住3号楼502室')).toBe('楼道灯坏了。');
  });

  it('a write-up quoting the same message ends its sentence once', () => {
    expect(residentSentences('小区水箱没有清洗，自来水有异味，联系人电话139****5678。')).toEqual(['小区水箱没有清洗，自来水有异味。']);
  });
});
