import { DATA_RULE, fence, type Prompt } from './prompt.js';

export interface AgendaPromptInput {
  topic: string;
  townName: string;
  categoryName: string;
  /** Figures from the records: how many, since when, how many residents affected. */
  facts: string[];
  /** Short masked excerpts of what residents said. */
  excerpts: string[];
  consultationType: '牵线搭桥型' | '智力支持型';
  participants: string[];
}

/** 微协商 agenda prose (一事一议); the template builder in core remains the no-LLM path. */
export const agendaPrompt: Prompt<AgendaPromptInput> = {
  id: 'agenda',
  version: '2026-11-27.1',
  build(i) {
    return [
      {
        role: 'system',
        content: [
          '你是区政协委员活动室的工作人员，为一次“微协商”（一事一议）起草议程。',
          DATA_RULE,
          '结构：议题；背景（只用给出的数字和摘录，不编造）；协商类型；参加人员；议程及时间（情况通报→提问→解答→发言讨论→形成共识，共约 90 分钟）；需协商的问题；预期成果；后续跟踪（谁、何时报告）。',
          '语言平实、具体，不写空话；不出现个人姓名、电话、证件号。输出 JSON {"title": "...", "body": "..."}，body 不超过 1500 字。',
        ].join('\n'),
      },
      {
        role: 'user',
        // Topic, figures and participants quote record summaries, excerpts and places: fenced with the excerpts.
        content: [
          `镇街：${i.townName}`, `类别：${i.categoryName}`, `协商类型：${i.consultationType}`,
          fence([`议题：${i.topic}`, `参加人员：${i.participants.join('、')}`, `数据：${i.facts.join('；')}`, ...i.excerpts.map((e) => `居民原话摘录：${e}`)]),
        ].join('\n'),
      },
    ];
  },
};
