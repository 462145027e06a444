import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'tipdm2020c', 'messages-unlabeled.jsonl');
const TOWNS = ['灌口镇', '后溪镇', '杏林街道', '侨英街道', '杏滨街道', '集美街道'];
const TOPICS = ['路灯不亮', '垃圾堆积', '污水外溢', '噪音扰民', '违章停车', '公交班次少', '学位紧张', '拖欠工资', '药店售假', '油烟直排'];

/** Real raw messages from ../shared/data when present (never committed), else generated text. */
export function sampleTexts(n: number): { texts: string[]; source: string } {
  if (existsSync(SHARED)) {
    const rows = readFileSync(SHARED, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { title?: string; body?: string });
    const texts = rows.map((r) => `${r.title ?? ''}\n${r.body ?? ''}`.trim().slice(0, 2000));
    return { texts: Array.from({ length: n }, (_, i) => texts[i % texts.length]!), source: `../shared/data (${texts.length} raw messages)` };
  }
  return {
    texts: Array.from({ length: n }, (_, i) => `${TOWNS[i % 6]}某小区${i}号附近${TOPICS[i % 10]}，已经持续${(i % 20) + 1}天，居民多次反映仍未解决，希望有关部门尽快处理。`),
    source: 'generated text',
  };
}
