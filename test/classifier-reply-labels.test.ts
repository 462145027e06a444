import { describe, expect, it } from 'vitest';
import { departmentCategory } from '../src/classify/train/reply-labels.js';

describe('department named in an official reply (reply-labels.ts, tune.ts replies)', () => {
  it('one department of one category gives that category', () => {
    expect(departmentCategory('网友：您好！经我局（县生态环境局）执法人员现场核查，该厂已停产整改。')).toBe('环境保护');
    expect(departmentCategory('您反映的问题已转区人社局劳动保障监察大队调查处理。')).toBe('劳动和社会保障');
    expect(departmentCategory('经市教育局核实，该校已退还补课费用。')).toBe('教育文体');
  });

  it('departments of two categories, or one outside ours, give no label', () => {
    expect(departmentCategory('已转区教育局和区人社局办理。')).toBeUndefined();
    expect(departmentCategory('县住建局会同派出所到现场处理。')).toBeUndefined();
    // 交警 cases are mostly filed under 城乡建设 by the organiser, so they are not 交通运输 evidence.
    expect(departmentCategory('县公安局交警大队已在该路口增设电子警察。')).toBeUndefined();
  });

  it('a reply from a town or a 街道 alone carries no signal', () => {
    expect(departmentCategory('您的留言已收悉，我街道立即组织社区工作人员进行了核实。')).toBeUndefined();
    expect(departmentCategory('您的留言已收悉！我们已将您反映的问题转相关部门进行处理。')).toBeUndefined();
  });
});
