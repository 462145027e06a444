/**
 * Measures the dedupe similarity on real text and prints what is needed to choose DEFAULT_DEDUPE_THRESHOLD.
 *
 *   npx tsx test/bench/measure-dedupe.ts [path/to/messages-unlabeled.jsonl] [--samples N]
 *
 * Default input: ../shared/data/tipdm2020c/messages-unlabeled.jsonl (not part of the repository; see its
 * README). Nothing from it is written anywhere: pairs are printed for a person to judge.
 *
 * EVIDENCE for DEFAULT_DEDUPE_THRESHOLD = 0.3 (run of 2026-11-26: K = 128, bigrams, boilerplate cut; all 25.2M
 * pairs of the 7,097 messages, title + body, masked first). Pairs per band, and how many of 20 randomly sampled
 * pairs a reader judged to be the same problem (a "+1" a member would expect to join the existing record):
 *
 *   band         pairs   same problem in sample
 *   >= 0.8         463   20/20 (reposts, often word for word)
 *   0.6 – 0.8       93   17/20 (misses: one author posting the same 油烟 text about different estates)
 *   0.5 – 0.6       36   17/20 (misses: KTV / 油烟 complaints about different estates, written alike)
 *   0.4 – 0.5       80   20/20
 *   0.35 – 0.4      48   19/20 (miss: a district-wide 消防通道 complaint vs one estate's)
 *   0.3 – 0.35      85   19/20 (miss: one author's template, 国家中心城市 vs 招商引资)
 *   0.25 – 0.3     152   11/20 (most misses are one author's "请加快A市…建设…刻不容缓" template posts)
 *   0.2 – 0.25     366   not inspected closely; mostly same topic, different problem
 *
 *   At 0.3: 805 pairs, estimated precision ≈ 0.95 (band-weighted, small samples). The misses at high
 *   similarity are the same text about two places, which no threshold fixes (dedupe only compares records of
 *   one 镇街, which removes most of them). At 0.25 precision would fall to ≈ 0.90: the 152 extra pairs are
 *   barely better than a coin.
 *   Recall cannot be measured here (no labels). The ten hand-written paraphrase pairs below score 0.25–0.65,
 *   8 of 10 ≥ 0.3 (misses: a 红绿灯 report told in other words, 0.25; a 工地噪音 report, 0.296); the ten
 *   same-topic different-problem pairs score 0.08–0.25, 0 of 10 ≥ 0.3. Short chat messages are the weak spot:
 *   a reworded one-line report can fall under 0.3, so the receipt card should still show the nearest records
 *   below the threshold for staff to merge by hand.
 *
 * Throughput on this machine (2 vCPU, Node 20, after JIT warm-up): fingerprint ≈ 60,000/s for 200-character
 * messages; similarity ≈ 620,000 comparisons/s on stored strings of real messages (mean 358 characters, ~98
 * slots) and ≈ 1,180,000/s on decoded fingerprints; 1.24M/s and 1.93M/s for 60-character messages.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { maskPersonalData } from '../../src/core/masking.js';
import {
  DEFAULT_DEDUPE_THRESHOLD,
  decodeFingerprint,
  fingerprint,
  similarity,
  similarityDecoded,
} from '../../src/core/similarity.js';

interface Message {
  id: string;
  title: string;
  body: string;
}

const DEFAULT_INPUT = fileURLToPath(new URL('../../../shared/data/tipdm2020c/messages-unlabeled.jsonl', import.meta.url));
const BANDS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 1.01];
const WHITESPACE = /\s+/g;

// Written for this script: the same problem as two residents would tell it.
const PARAPHRASES: Array<[string, string]> = [
  ['幸福路12号楼下的路灯坏了两周了，晚上很黑', '幸福路12号楼下路灯坏了快半个月，晚上出门看不见'],
  ['杏林湾路与银江路交叉口红绿灯坏了，早高峰堵得很厉害', '银江路杏林湾路路口的红绿灯不亮了，早上上班时间车都堵死了'],
  ['印斗路菜市场旁边的垃圾桶好几天没人清运，臭气熏天', '印斗路菜市场边上垃圾桶几天没清运了，味道很臭'],
  ['天凤路那家烧烤店油烟很大，熏得楼上住户不敢开窗', '天凤路烧烤店油烟太大了，楼上的住户窗户都不敢开'],
  ['后溪镇城内村的自来水这几天一直是黄的，不敢喝', '城内村自来水发黄好几天了，后溪镇这边村民都不敢喝'],
  ['灌口镇中学门口没有斑马线，学生放学过马路很危险', '灌口中学校门口缺少斑马线，孩子们放学过马路太危险了'],
  ['嘉庚路工地晚上十二点还在施工，噪音吵得睡不着', '嘉庚路那个工地半夜十二点还在施工，噪音大得没法睡觉'],
  ['侨英街道凤林社区小区电梯经常困人，物业不管', '凤林社区小区电梯老是困人，物业也不处理，侨英街道'],
  ['孩子在集美二小附近上学，公交3路车次太少，等半小时一班', '公交3路车太少了，集美二小学生上学要等半个小时'],
  ['兑山村村口的排水沟堵了，一下雨就积水淹到路面', '兑山村村口排水沟堵塞，下雨积水漫到马路上'],
];

// Also written for this script: the same kind of problem in a different place or with a different cause.
const DIFFERENT: Array<[string, string]> = [
  ['幸福路12号楼下的路灯坏了两周了，晚上很黑', '湖滨南路公交站旁的路灯一到晚上就闪，很晃眼'],
  ['幸福路12号楼下的路灯坏了两周了，晚上很黑', '幸福路12号楼下的垃圾桶满了没人清理'],
  ['杏林湾路与银江路交叉口红绿灯坏了，早高峰堵得很厉害', '集源路口红绿灯时间太短，行人过不去'],
  ['印斗路菜市场旁边的垃圾桶好几天没人清运，臭气熏天', '印斗路菜市场里面摊位乱摆，占用消防通道'],
  ['天凤路那家烧烤店油烟很大，熏得楼上住户不敢开窗', '天凤路烧烤店半夜营业，喝酒喧哗吵得睡不着'],
  ['后溪镇城内村的自来水这几天一直是黄的，不敢喝', '后溪镇城内村经常停水，一停就是一整天'],
  ['灌口镇中学门口没有斑马线，学生放学过马路很危险', '灌口中学食堂饭菜价格太贵，学生吃不饱'],
  ['嘉庚路工地晚上十二点还在施工，噪音吵得睡不着', '嘉庚路工地渣土车撒漏，路面全是泥'],
  ['侨英街道凤林社区小区电梯经常困人，物业不管', '凤林社区小区物业费涨价没有开业主大会'],
  ['兑山村村口的排水沟堵了，一下雨就积水淹到路面', '兑山村村口道路坑洼不平，电动车经常摔倒'],
];

function parseArgs(argv: string[]): { input: string; samples: number } {
  let input = DEFAULT_INPUT;
  let samples = 6;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--samples') samples = Number(argv[++i] ?? samples);
    else input = arg;
  }
  return { input, samples };
}

function loadMessages(path: string): Message[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const raw: unknown = JSON.parse(line);
      const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      return { id: String(o.id ?? ''), title: String(o.title ?? ''), body: String(o.body ?? '') };
    });
}

function bandOf(s: number): number {
  for (let b = BANDS.length - 2; b >= 0; b--) if (s >= (BANDS[b] ?? 1)) return b;
  return -1;
}

function excerpt(m: Message): string {
  return `${m.id} ${m.title} | ${m.body.replace(WHITESPACE, ' ').slice(0, 70)}`;
}

function perSecond(rounds: number, fn: (i: number) => void): number {
  const started = performance.now();
  for (let i = 0; i < rounds; i++) fn(i);
  return Math.round(rounds / ((performance.now() - started) / 1000));
}

function main(): void {
  const { input, samples } = parseArgs(process.argv.slice(2));
  const messages = loadMessages(input);
  const texts = messages.map((m) => maskPersonalData(`${m.title}\n${m.body}`).text);

  texts.forEach((t) => fingerprint(t)); // warm up the JIT so the rate is the steady one
  const fpStart = performance.now();
  const fps = texts.map((t) => fingerprint(t));
  const fpRate = Math.round(texts.length / ((performance.now() - fpStart) / 1000));
  const decoded = fps.map((f) => decodeFingerprint(f));

  // Reservoir-sample pairs per band so the printout stays short whatever the data.
  const counts = new Array<number>(BANDS.length - 1).fill(0);
  const reservoir: Array<Array<[number, number, number]>> = counts.map(() => []);
  let seed = 42;
  const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let a = 0; a < decoded.length; a++) {
    for (let b = a + 1; b < decoded.length; b++) {
      const s = similarityDecoded(decoded[a]!, decoded[b]!);
      const band = bandOf(s);
      if (band < 0) continue;
      const seen = ++counts[band]!;
      const bucket = reservoir[band]!;
      if (bucket.length < samples) bucket.push([a, b, s]);
      else if (random() < samples / seen) bucket[Math.floor(random() * samples)] = [a, b, s];
    }
  }

  console.log(`messages: ${messages.length}, fingerprints/s: ${fpRate}, threshold now: ${DEFAULT_DEDUPE_THRESHOLD}`);
  let cumulative = 0;
  for (let band = counts.length - 1; band >= 0; band--) {
    cumulative += counts[band]!;
    console.log(`\n=== [${BANDS[band]}, ${BANDS[band + 1]}) pairs: ${counts[band]} (>= ${BANDS[band]}: ${cumulative})`);
    for (const [a, b, s] of reservoir[band]!) {
      console.log(`  ${s.toFixed(3)}\n    ${excerpt(messages[a]!)}\n    ${excerpt(messages[b]!)}`);
    }
  }

  console.log('\n=== hand-written pairs (same problem | different problem)');
  PARAPHRASES.forEach(([x, y], i) => {
    const [u, v] = DIFFERENT[i] ?? ['', ''];
    const same = similarity(fingerprint(x), fingerprint(y));
    const diff = similarity(fingerprint(u), fingerprint(v));
    console.log(`  same ${same.toFixed(3)}  different ${diff.toFixed(3)}  ${x}`);
  });

  const n = fps.length;
  const rounds = 2_000_000;
  const strRate = perSecond(rounds, (i) => similarity(fps[i % n]!, fps[(i * 7 + 13) % n]!));
  const decRate = perSecond(rounds, (i) => similarityDecoded(decoded[i % n]!, decoded[(i * 7 + 13) % n]!));
  const avgLen = Math.round(fps.reduce((sum, f) => sum + f.length, 0) / n);
  console.log(`\ncomparisons/s on stored strings: ${strRate}; decoded: ${decRate}; mean fingerprint length: ${avgLen} chars`);
}

main();
