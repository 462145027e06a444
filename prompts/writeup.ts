import { DATA_RULE, fence, type Prompt } from './prompt.js';

export interface WriteupPromptInput {
  recordCode: string;
  categoryName: string;
  townName: string | null;
  summary: string;
  /** Masked record text and any follow-up notes. */
  texts: string[];
  affectedCount: number;
}

/**
 * 社情民意信息 write-up: one issue, ≤1500 characters, 标题/基本情况/存在问题/意见建议, each suggestion
 * answering a problem. The model must refuse the kinds of matter a write-up may not carry.
 */
export const writeupPrompt: Prompt<WriteupPromptInput> = {
  id: 'writeup',
  version: '2026-11-27.1',
  build(i) {
    return [
      {
        role: 'system',
        content: [
          '你是区政协社情民意信息的撰稿人。把一条记录写成一篇《社情民意信息》：一事一报，不超过 1500 字。',
          DATA_RULE,
          '结构：标题（概括问题与建议，不超过 30 字）；基本情况；存在问题（分条）；意见建议（分条，每条对应一个问题，可操作）。',
          '只用给出的事实，不编造数字、单位或政策文件。不写个人姓名、电话、证件号。',
          '若内容属于信访、涉诉、人事、涉密、个人隐私，或明显超出区级事权，则不写，refused 设为 true 并在 reason 中说明。',
          '输出 JSON {"refused": false, "reason": "", "title": "...", "body": "..."}。',
        ].join('\n'),
      },
      {
        role: 'user',
        // The summary was drawn from the resident's words, so it is fenced with them.
        content: [`记录：${i.recordCode}`, `类别：${i.categoryName}`, `镇街：${i.townName ?? '未定'}`, `反映人次：${i.affectedCount}`,
          fence([`摘要：${i.summary}`, ...i.texts.map((t) => `原文：${t}`)])].join('\n'),
      },
    ];
  },
};
