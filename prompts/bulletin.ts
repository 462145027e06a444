import type { Prompt } from './prompt.js';

export interface BulletinPromptInput {
  weekLabel: string;
  scope: string;
  /** The computed figures, already final: the model writes prose around them and must not change them. */
  figures: Record<string, number | string>;
  byCategory: { name: string; count: number }[];
  byTown: { name: string; count: number }[];
  hotIssues: { summary: string; count: number }[];
}

/** Weekly bulletin prose (通报 format) around figures computed from the records; no resident text is sent. */
export const bulletinPrompt: Prompt<BulletinPromptInput> = {
  id: 'bulletin',
  version: '2026-07-01.1',
  build(i) {
    return [
      {
        role: 'system',
        content: [
          '你是区政协办公室的文字秘书，为每周社情民意工作写一段通报文字（公文通报体，400 字以内）。',
          '只能使用给出的数字，原样引用，不得计算新数字或推测原因；按：总体情况→分类与镇街分布→热点问题→办理情况（交办、办结、逾期、按时办结率）→下周重点 的顺序。',
          '输出 JSON {"title": "...", "body": "..."}。',
        ].join('\n'),
      },
      {
        role: 'user',
        content: JSON.stringify({ 周次: i.weekLabel, 范围: i.scope, 数字: i.figures, 分类: i.byCategory, 镇街: i.byTown, 热点: i.hotIssues }),
      },
    ];
  },
};
