/**
 * Distant supervision from official replies: messages-unlabeled.jsonl's `replied-*` rows carry the
 * department's answer, and the department that answered (or that the reply hands the case to) says which
 * level-1 category the complaint belongs to. A row is labelled only when every department the reply names
 * points to the same one of our seven categories; a department of another category (police, civil affairs,
 * land, agriculture, finance …) or of two categories (文旅, 食药监, 公交, 交警, 燃气) makes it ambiguous and it is skipped.
 * Districts, towns and 街道 answer every kind of complaint, so they carry no signal and are ignored.
 *
 * Traffic police (交警), buses, gas and power are ambiguous on purpose: the organiser files road, parking and
 * bus complaints mostly under 城乡建设 even when 交警 or the transport bureau answered (read on the data).
 * Measured: 653 of 2,814 replied messages labelled (城乡建设 230, 教育文体 158, 劳动和社会保障 119, 环境保护 54,
 * 卫生计生 35, 商贸旅游 30, 交通运输 27); 65 of the 69 that are raw twins of labelled rows agree with the row's
 * label (94%); a hand check of 60 against taxonomy.json found 55 right, 2 wrong (house leak → 商贸旅游, bus
 * → 交通运输) and 3 arguable. The same rule on a message's own text (请环保局…) is 0.919 precise on the
 * labelled rows but adds nothing (tune.ts `textcv`). As training rows they did not help (tune.ts `replies`,
 * `replycv`; held-out scored once at weight 1: 0.9099 against 0.9182): src/classify/model/README.md.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** [pattern, category or null]: null = a department outside our seven categories or shared by two. */
const DEPARTMENTS: readonly (readonly [RegExp, string | null])[] = [
  [/住建|住房和城乡建设|城乡建设局|建设局|建设委员会|建委|城管|城市管理|规划局|规划分局|城乡规划|住房保障|房产局|房屋征收|征收办|公积金|市政局|环卫|自来水公司|供水公司|物业办|物管办/g, '城乡建设'],
  [/人社|人力资源和社会保障|劳动保障|劳动监察|社保|社会保险|医保|医疗保障|医疗保险|就业服务|人才服务/g, '劳动和社会保障'],
  [/教育局|教育厅|教育体育局|教体局|教育阳光服务中心|招生考试|体育局|文体局/g, '教育文体'],
  [/卫健|卫生健康|卫计|卫生和计划生育|卫生局|卫生厅|计划生育|计生|疾控|疾病预防控制/g, '卫生计生'],
  [/环保|环境保护|生态环境/g, '环境保护'],
  [/交通运输局|交通局|交通运输厅|交通运输委|运管|道路运输|客运管理|邮政管理/g, '交通运输'],
  [/市场监督管理|市场监管|工商局|工商分局|工商行政|质监|质量技术监督|商务局|商务厅|旅游局|物价局|价格监督|烟草专卖/g, '商贸旅游'],
  // Other categories (政法, 民政, 国土资源, 农村农业, 经济管理, 纪检监察 …) and departments shared by two of ours.
  [/公安局(?!交)|公安分局(?!交)|派出所|治安|司法局|法院|检察院|民政|国土|自然资源|林业|农业|农村农业|水利|财政|税务|发改|发展和改革|纪委|监察委|信访|残联|统计局|文旅|文化旅游|文化广电|文广|食品药品|食药监|公交|地铁|轨道交通|安监|应急管理|消防|交警|交通警察|交通管理|车管所|公路|高速|燃气|供电|电力/g, null],
];

/** The category every department named in `reply` points to, or undefined (none, or ambiguous). */
export function departmentCategory(reply: string): string | undefined {
  const found = new Set<string | null>();
  for (const [pattern, category] of DEPARTMENTS) if (reply.match(pattern)) found.add(category);
  if (found.size !== 1) return undefined;
  return [...found][0] ?? undefined;
}

const Replied = z.object({ id: z.string(), title: z.string().default(''), body: z.string().default(''), reply: z.string().optional() });

/** Replied raw messages (title + body, as readRawTexts builds them) whose reply names one category. */
export function readReplyLabelled(path: string): { id: string; text: string; label: string }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      const m = Replied.parse(JSON.parse(line));
      const label = m.reply ? departmentCategory(m.reply) : undefined;
      return label ? [{ id: m.id, text: `${m.title}\n${m.body}`, label }] : [];
    });
}
