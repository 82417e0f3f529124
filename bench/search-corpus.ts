// A synthetic corpus for the search benchmark: instruments in both languages shaped like the shipped content (their
// titles, summaries, events, issuers and topics recombined with other places and topics), and a fixed query mix.
import { validateBundle } from '../src/content/validate.ts';
import type { Bundle, Instrument, LifecycleEvent } from '../src/domain/types.ts';

/** A small deterministic pseudo-random generator (mulberry32), so every run builds the same corpus. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;

/** Places named in synthetic titles (English, Chinese). */
export const PLACES: readonly (readonly [string, string])[] = [
  ['Shenzhen', '深圳'],
  ['Shanghai', '上海'],
  ['Beijing', '北京'],
  ['Hangzhou', '杭州'],
  ['Guangzhou', '广州'],
  ['Suzhou', '苏州'],
  ['Chengdu', '成都'],
  ['Wuhan', '武汉'],
  ['Nanjing', '南京'],
  ['Tianjin', '天津'],
  ['Chongqing', '重庆'],
  ['Xiamen', '厦门'],
  ['Qingdao', '青岛'],
  ['Dalian', '大连'],
  ['Ningbo', '宁波'],
  ["Xi'an", '西安'],
  ['Hefei', '合肥'],
  ['Changsha', '长沙'],
  ['Zhengzhou', '郑州'],
  ['Jinan', '济南'],
  ['Fuzhou', '福州'],
  ['Kunming', '昆明'],
  ['Nanning', '南宁'],
  ['Harbin', '哈尔滨'],
  ['Shenyang', '沈阳'],
  ['Changchun', '长春'],
  ['Taiyuan', '太原'],
  ['Shijiazhuang', '石家庄'],
  ['Nanchang', '南昌'],
  ['Guiyang', '贵阳'],
  ['Lanzhou', '兰州'],
  ['Haikou', '海口'],
  ['Yinchuan', '银川'],
  ['Xining', '西宁'],
  ['Urumqi', '乌鲁木齐'],
  ['Hohhot', '呼和浩特'],
  ['Lhasa', '拉萨'],
  ['Dongguan', '东莞'],
  ['Foshan', '佛山'],
  ['Wuxi', '无锡'],
  ['Zhuhai', '珠海'],
  ['Wenzhou', '温州'],
  ['Shaoxing', '绍兴'],
  ['Jiaxing', '嘉兴'],
  ['Yantai', '烟台'],
  ['Zhuzhou', '株洲'],
  ['Luoyang', '洛阳'],
  ['Xuzhou', '徐州'],
  ['Changzhou', '常州'],
  ['Nantong', '南通'],
];

/** The shipped bundle (validated). */
export function shippedBundle(): Bundle {
  const result = validateBundle(new URL('../content', import.meta.url).pathname);
  if (!result.bundle) throw new Error('the shipped content is not valid');
  return result.bundle;
}

function shiftEvents(events: readonly LifecycleEvent[], years: number): LifecycleEvent[] {
  const shift = (d: string) => `${Number(d.slice(0, 4)) + years}${d.slice(4)}`.replace(/-02-29$/, '-02-28');
  return events.map((e) => ({
    ...e,
    ...(typeof e.date === 'string' ? { date: shift(e.date) } : {}),
    ...(e.claims ? { claims: e.claims.map((c) => ({ ...c, date: shift(c.date) })) } : {}),
  }));
}

/**
 * `n` instruments: each takes a shipped instrument's kind, events (moved by up to ±4 years) and summary, retitled for
 * another place and topic, with a sentence of another instrument or programme added and random issuers and topics.
 */
export function generateCorpus(n: number, bundle: Bundle, seed = 42): Instrument[] {
  const rnd = random(seed);
  const base = bundle.instruments;
  const topics = bundle.taxonomy.topics;
  const labels = [
    ...topics.map((t) => t.label),
    ...bundle.taxonomy.scenario_categories.flatMap((c) => c.fields.map((f) => f.label)),
    ...bundle.taxonomy.demonstration_scenarios.map((d) => d.label),
  ];
  const extra = [...base.map((i) => i.summary), ...bundle.programmes.map((p) => p.description)];
  const bodies = bundle.bodies.map((b) => b.id);
  const jurisdictions = bundle.jurisdictions.map((j) => j.code);
  const out: Instrument[] = [];
  for (let i = 0; i < n; i++) {
    const b = pick(rnd, base);
    const [placeEn, placeZh] = pick(rnd, PLACES);
    const label = pick(rnd, labels);
    const more = pick(rnd, extra);
    const years = Math.floor(rnd() * 9) - 4;
    const id = `syn-${i}`;
    out.push({
      id,
      title: {
        en: `${placeEn} ${b.title.en.replace(/ of (Shenzhen|Shanghai|Beijing|Hangzhou)[^ ]*/g, '')} on ${label.en}`,
        zh: `${placeZh}关于${label.zh}的${b.title.zh.replace(/^(深圳市?|上海市|北京市|杭州市)/, '')}`,
      },
      ...(b.short_title ? { short_title: b.short_title } : {}),
      kind: b.kind,
      jurisdiction: pick(rnd, jurisdictions),
      issuers: [pick(rnd, bodies), ...(rnd() < 0.3 ? [pick(rnd, bodies)] : [])],
      topics: [...new Set([...(b.topics ?? []), pick(rnd, topics).code])],
      summary: { en: `${b.summary.en} ${more.en} (${placeEn})`, zh: `${b.summary.zh}${more.zh}（${placeZh}）` },
      sources: [],
      events: shiftEvents(b.events, years),
    });
  }
  return out;
}

/**
 * A fixed mix of `n` queries: English words and phrases from titles, Chinese words (no spaces), mixed English and
 * Chinese, place names, and names with a letter dropped or swapped (typos).
 */
export function queryMix(n: number, bundle: Bundle, seed = 7): string[] {
  const rnd = random(seed);
  const en = [
    'regulations',
    'generative AI',
    'compute vouchers',
    'personal information',
    'deep synthesis',
    'algorithmic recommendation',
    'data resources',
    'ethics review',
    'innovation',
    'industry promotion',
    'security requirements',
    'governance framework',
    'labelling',
    'electronic signature',
    'virtual currency',
    'scenario innovation',
    'smart ports',
    'autonomous driving',
    'identity authentication',
    'cybersecurity law',
    'demonstration scenarios',
    'implementation plan',
    'interim measures',
    'artificial intelligence development plan',
  ];
  const zh = [
    '人工智能',
    '算力券',
    '深圳',
    '生成式人工智能',
    '数据资源',
    '深度合成',
    '算法推荐',
    '个人信息保护',
    '科技伦理',
    '智慧港口',
    '自动驾驶',
    '网络安全',
    '电子签名',
    '虚拟货币',
    '示范应用场景',
    '产业促进条例',
    '实施方案',
    '治理框架',
    '安全基本要求',
    '内容标识',
    '创新高地',
    '先锋城市',
    '数据要素',
    '身份认证',
  ];
  const typo = (w: string) => {
    const k = 1 + Math.floor(rnd() * (w.length - 2));
    return rnd() < 0.5
      ? w.slice(0, k) + w.slice(k + 1)
      : w.slice(0, k) + (w[k + 1] ?? '') + (w[k] ?? '') + w.slice(k + 2);
  };
  const titles = bundle.instruments.map((i) => i.title.en.split(' '));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const [placeEn, placeZh] = pick(rnd, PLACES);
    if (r < 0.25) out.push(pick(rnd, en));
    else if (r < 0.5) out.push(pick(rnd, zh));
    else if (r < 0.6) out.push(`${placeZh}${pick(rnd, zh)}`);
    else if (r < 0.72) out.push(`${placeEn} ${pick(rnd, zh)}`);
    else if (r < 0.84) out.push(`${typo(placeEn)} ${pick(rnd, en)}`);
    else {
      const t = pick(rnd, titles);
      const start = Math.floor(rnd() * Math.max(1, t.length - 3));
      out.push(t.slice(start, start + 2 + Math.floor(rnd() * 3)).join(' '));
    }
  }
  return out;
}
