import { describe, expect, it } from 'vitest';
import { loadDefaultLocalClassifier } from '../src/classify/load-local-model.js';
import { createLocalClassifier } from '../src/classify/local-classifier.js';
import { NgramIndex, normalizeText } from '../src/classify/text-features.js';
import { logCountRatios, trainOneVsRest } from '../src/classify/train/one-vs-rest-trainer.js';
import { logits, trainSoftmax, type SoftmaxModel } from '../src/classify/train/softmax-trainer.js';
import { forEachWord, wordUnits } from '../src/classify/word-segmenter.js';

const classifier = loadDefaultLocalClassifier();

// Hand-written messages, not taken from the training data. Labels follow the data's own conventions:
// its organiser files buses and road surfaces under 城乡建设 and taxis/highways under 交通运输.
const EXAMPLES: Record<string, string[]> = {
  城乡建设: ['小区门口的路灯坏了一个多月，晚上很黑，请尽快修理', '开发商擅自更改小区规划，把绿地改成了停车场', '老旧小区改造拖了两年还没动工'],
  劳动和社会保障: ['工厂拖欠工资三个月了，老板一直躲着不见', '退休人员的养老金没有按时发放', '公司不给员工缴纳社保'],
  教育文体: ['孩子上幼儿园报名难，公办园学位不够', '学校老师在校外办补习班收费', '小学招生划片不合理，孩子要跨区上学'],
  商贸旅游: ['超市虚假打折欺骗消费者', '旅游景区门票随意涨价，还强制购物', '商家卖假冒伪劣产品，投诉无门'],
  环境保护: ['河道发臭，有人偷偷往河里排放污水', '化工厂烟囱天天冒黑烟，空气污染严重', '工地夜间施工噪音扰民，吵得睡不着'],
  卫生计生: ['药店卖过期药品', '医院乱收费，挂号看病太贵', '乡镇卫生院医生态度恶劣，延误治疗'],
  交通运输: ['出租车拒载还故意绕路', '高速公路收费站天天堵车', '驾驶证换证要跑好几趟车管所'],
};

describe('local classifier', () => {
  for (const [label, texts] of Object.entries(EXAMPLES)) {
    it.each(texts)(`files "%s" under ${label}`, (text) => {
      expect(classifier.classify(text).label).toBe(label);
    });
  }

  it('knows the seven level-1 categories', () => {
    expect([...classifier.labels].sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  it('returns a probability in (0, 1] and three alternatives, most likely first', () => {
    const p = classifier.classify('工厂拖欠工资三个月了');
    expect(p.confidence).toBeGreaterThan(0);
    expect(p.confidence).toBeLessThanOrEqual(1);
    expect(p.alternatives).toHaveLength(3);
    expect(p.alternatives.map((a) => a.label)).not.toContain(p.label);
    const probabilities = [p.confidence, ...p.alternatives.map((a) => a.probability)];
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
  });

  it('is confident on a clear complaint', () => {
    expect(classifier.classify('企业拖欠农民工工资，劳动监察部门不管').confidence).toBeGreaterThan(0.8);
  });

  it('keeps the class of a clear message when punctuation, digits, latin text and a phone number are added', () => {
    const plain = '化工厂烟囱天天冒黑烟空气污染严重';
    const noisy = '【紧急!!】A3区XX化工厂烟囱天天冒黑烟(2024-05-01起)，空气污染严重!!! 联系电话：13912345678 / email: a@b.cn';
    expect(classifier.classify(noisy).label).toBe(classifier.classify(plain).label);
    expect(classifier.classify(noisy).label).toBe('环境保护');
  });

  it('answers empty or content-free text with low confidence instead of throwing', () => {
    for (const text of ['', '   ', '!!!???', '12345 abc', '你好']) {
      const p = classifier.classify(text);
      expect(classifier.labels).toContain(p.label);
      expect(p.confidence).toBeLessThan(0.5);
    }
  });

  it('exposes where the model came from', () => {
    expect(classifier.meta).toMatchObject({ source: expect.any(String), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});

describe('createLocalClassifier', () => {
  // 路灯 → 甲, 工资 → 乙 (int8 rows [甲, 乙]).
  const charBlock = {
    ngram: { minN: 1, maxN: 2 },
    grams: '路灯 工资',
    idf: btoa(String.fromCharCode(32, 32)),
    weights: btoa(String.fromCharCode(100, 0, 0, 100)),
    weightScale: 0.5,
    bias: [0, 0],
    temperature: 1,
    weight: 1,
  };
  const valid = {
    format: 'minyi-local-classifier/2',
    featureVersion: 'cjk-stop-v1',
    labels: ['甲', '乙'],
    chars: charBlock,
    meta: {},
  };
  // A word block that knows the bigram 拖欠|工资 (→ 乙) but neither word alone.
  const wordBlock = {
    ...charBlock,
    dictionary: '拖欠 工资 路灯',
    grams: '拖欠|工资',
    idf: btoa(String.fromCharCode(32)),
    weights: btoa(String.fromCharCode(0, 100)),
  };

  it('builds a working classifier from a minimal valid model', () => {
    const tiny = createLocalClassifier(valid);
    expect(tiny.classify('路灯不亮').label).toBe('甲');
    expect(tiny.classify('拖欠工资').label).toBe('乙');
  });

  it('still reads a format-1 model (character block only, fields at the top level)', () => {
    const { weight: _, ...v1Fields } = charBlock;
    const v1 = createLocalClassifier({ format: 'minyi-local-classifier/1', featureVersion: 'cjk-stop-v1', labels: ['甲', '乙'], ...v1Fields, meta: { stub: true } });
    expect(v1.classify('路灯不亮').label).toBe('甲');
    expect(v1.meta).toEqual({ stub: true });
  });

  it('averages the word block in: a word bigram moves the answer the character block cannot decide', () => {
    const noChars = { ...charBlock, grams: '路灯', idf: btoa(' '), weights: btoa('\u0000\u0000') };
    const withWords = createLocalClassifier({ ...valid, chars: noChars, words: wordBlock });
    const p = withWords.classify('老板拖欠工资三个月');
    expect(p.label).toBe('乙');
    expect(p.confidence).toBeGreaterThan(0.5);
    // Same words in another order: no bigram, no evidence.
    expect(withWords.classify('工资拖欠').confidence).toBeCloseTo(0.5, 5);
  });

  it.each([
    ['not an object', 'model'],
    ['wrong format', { ...valid, format: 'something-else' }],
    ['format 1 fields missing', { ...valid, format: 'minyi-local-classifier/1' }],
    ['features from another normaliser', { ...valid, featureVersion: 'v0' }],
    ['a missing field', { ...valid, chars: { ...charBlock, weights: undefined } }],
    ['weights that do not match the vocabulary', { ...valid, chars: { ...charBlock, weights: btoa('\u0001\u0002') } }],
    ['a bias per label missing', { ...valid, chars: { ...charBlock, bias: [0] } }],
    ['n-grams longer than supported', { ...valid, chars: { ...charBlock, ngram: { minN: 1, maxN: 9 } } }],
    ['a word feature that is not in the dictionary', { ...valid, words: { ...wordBlock, grams: '拖欠|工钱' } }],
    ['a dictionary word longer than four characters', { ...valid, words: { ...wordBlock, dictionary: '拖欠 工资 社会保障局' } }],
  ])('rejects a model with %s, naming the problem', (_, model) => {
    expect(() => createLocalClassifier(model)).toThrow(/invalid local classifier model: \S+/);
  });
});

describe('forEachWord', () => {
  const dictionary = new NgramIndex(['小区', '路灯', '路', '灯', '坏', '已经', '个月', '小区路灯']);
  const words = (text: string) => {
    const out: string[] = [];
    forEachWord(text, dictionary, (id) => out.push(['小区', '路灯', '路', '灯', '坏', '已经', '个月', '小区路灯'][id]!));
    return out;
  };

  it('takes the longest dictionary word, skips unknown characters and stops at punctuation', () => {
    expect(words('我们小区路灯坏了，已经3个月了！')).toEqual(['小区路灯', '坏', '已经', '个月']);
    expect(words('路灯，灯')).toEqual(['路灯', '灯']);
  });

  it('gives raw text and its segmented, stop-word-free form the same words', () => {
    // No 小区路灯 here: with the stop words gone, longest match would join the two words on one side only.
    const small = new NgramIndex(['小区', '路灯', '坏', '已经', '个月']);
    const units = (t: string) => wordUnits(t, small);
    expect(units('我们小区的路灯坏了，已经3个月了！')).toBe(units('小区 路灯 坏 已经 3 个月'));
  });
});

describe('normalizeText', () => {
  it('reduces raw text and its segmented, stop-word-free form to the same string', () => {
    expect(normalizeText('我们小区的路灯坏了，已经3个月了！')).toBe(normalizeText('小区 路灯 坏 已经 3 个 月'));
  });
});

describe('trainers (one averaged SGD loop for softmax and one-vs-rest)', () => {
  // Feature 0 marks class 0, feature 1 class 1; feature 2 is noise present everywhere.
  const vector = (marker: number) => ({ indices: Int32Array.from([marker, 2]), values: Float64Array.from([0.9, 0.3]) });
  const data = {
    vectors: [0, 1, 0, 1, 0, 1].map(vector),
    labels: Int32Array.from([0, 1, 0, 1, 0, 1]),
    featureCount: 3,
    classCount: 2,
  };
  const options = { l2: 1e-4, epochs: 10, learningRate: 1, seed: 7 };
  const predict = (model: SoftmaxModel, marker: number) => {
    const scores = logits(model, vector(marker));
    return scores[0]! > scores[1]! ? 0 : 1;
  };

  it.each([
    ['softmax', (d: typeof data) => trainSoftmax(d, options)],
    ['one-vs-rest (NBSVM)', (d: typeof data) => trainOneVsRest(d, logCountRatios(d), options)],
  ])('%s learns a separable problem, the same way every run', (_, train) => {
    const model = train(data);
    expect([predict(model, 0), predict(model, 1)]).toEqual([0, 1]);
    expect(train(data).weights).toEqual(model.weights);
  });

  it('gives an example weighted 0 no say', () => {
    const ignoreClass1 = Float64Array.from(data.labels, (y) => (y === 1 ? 0 : 1));
    const model = trainSoftmax({ ...data, sampleWeights: ignoreClass1 }, options);
    expect(predict(model, 1)).toBe(0);
  });
});
