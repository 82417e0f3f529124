// The facts rules may read (enterprise profile v1, shared/TAXONOMY.md): types, closed value sets and labels for forms.

/** Text in both languages. */
export interface Bilingual {
  readonly en: string;
  readonly zh: string;
}

/** The kinds of value a fact holds. `list` is a list of codes; `enum` one code from a closed, ordered set. */
export type FactType = 'list' | 'enum' | 'boolean' | 'number' | 'string';

/** What a caller needs to know about one fact: to build a form, validate a profile or check a rule. */
export interface FactSpec {
  readonly path: string;
  readonly type: FactType;
  /** The closed set of codes (enum values, or the vocabulary of a list); absent where any value goes. */
  readonly values?: readonly string[];
  /** Labels of the codes in `values`. */
  readonly valueLabels?: Readonly<Record<string, Bilingual>>;
  /** Enum values are given in ascending order, so gt/gte/lt/lte compare positions (low < medium < high). */
  readonly ordered?: boolean;
  /** List codes form a tree (jurisdictions): a profile's code also counts as each of its ancestors. */
  readonly hierarchical?: boolean;
  /** Numbers: the least valid value, and whether only integers are valid. */
  readonly min?: number;
  readonly integer?: boolean;
  readonly label: Bilingual;
  readonly help: Bilingual;
}

/** Facts by path. Order matters: it fixes each fact's slot in a prepared profile. */
export type FactCatalogue = Readonly<Record<string, FactSpec>>;

export type RiskLevel = 'low' | 'medium' | 'high';

/** An enterprise profile (version 1). Every field is optional: a missing fact is unknown, never false. */
export interface Profile {
  readonly name?: string;
  readonly jurisdictions?: readonly string[];
  readonly sectors?: readonly string[];
  readonly scenarios?: readonly string[];
  readonly activities?: readonly string[];
  readonly product?: {
    readonly riskLevel?: RiskLevel;
    readonly hasNationalOrLocalStandard?: boolean;
    readonly meetsInternationalStandard?: boolean;
  };
  readonly data?: {
    readonly handlesPersonalInformation?: boolean;
    readonly crossBorderTransfer?: boolean;
    readonly handlesImportantData?: boolean;
  };
  readonly size?: {
    readonly employees?: number;
    readonly annualRevenueCny?: number;
  };
}

/** A jurisdiction tree as data: code → parent code (null or absent for a root). */
export type JurisdictionTree = ReadonlyMap<string, string | null | undefined> | Readonly<Record<string, string | null>>;

/** The shipped jurisdictions (shared/TAXONOMY.md), code → parent. */
export const JURISDICTION_TREE: Readonly<Record<string, string | null>> = Object.freeze({
  cn: null,
  'cn-bj': 'cn',
  'cn-sh': 'cn',
  'cn-gd': 'cn',
  'cn-gd-shenzhen': 'cn-gd',
  'cn-zj': 'cn',
  'cn-zj-hangzhou': 'cn-zj',
});

const labels = (pairs: readonly (readonly [string, string, string])[]): Readonly<Record<string, Bilingual>> =>
  Object.freeze(Object.fromEntries(pairs.map(([code, en, zh]) => [code, Object.freeze({ en, zh })])));

const JURISDICTION_LABELS = labels([
  ['cn', 'China (national)', '中国（全国）'],
  ['cn-bj', 'Beijing Municipality', '北京市'],
  ['cn-sh', 'Shanghai Municipality', '上海市'],
  ['cn-gd', 'Guangdong Province', '广东省'],
  ['cn-gd-shenzhen', 'Shenzhen (Special Economic Zone)', '深圳（经济特区）'],
  ['cn-zj', 'Zhejiang Province', '浙江省'],
  ['cn-zj-hangzhou', 'Hangzhou', '杭州市'],
]);

const SECTOR_LABELS = labels([
  ['manufacturing', 'Manufacturing', '制造'],
  ['agriculture', 'Agriculture', '农业'],
  ['logistics', 'Logistics', '物流'],
  ['finance', 'Finance', '金融'],
  ['commerce', 'Commerce', '商务'],
  ['home-furnishing', 'Home furnishing', '家居'],
  ['urban-management', 'Urban management', '城市管理'],
  ['traffic-management', 'Traffic management', '交通治理'],
  ['ecological-protection', 'Ecological protection', '生态环保'],
  ['medical-health', 'Medical care and health', '医疗卫生'],
  ['education', 'Education', '教育'],
  ['elderly-care', 'Elderly care', '养老'],
  ['mathematics', 'Mathematics', '数学'],
  ['chemistry', 'Chemistry', '化学'],
  ['geosciences', 'Geosciences', '地学'],
  ['materials', 'Materials', '材料'],
  ['biology', 'Biology', '生物'],
  ['space-science', 'Space science', '空间科学'],
  ['major-events', 'Major events and conferences', '重大活动和会议'],
  ['strategic-backbone-passages', 'Strategic backbone passages', '战略骨干通道'],
  ['high-speed-railways', 'High-speed railways', '高速铁路'],
  ['ports-and-shipping', 'Ports and shipping', '港口航运'],
  ['airports', 'Airports', '现代机场'],
]);

const SCENARIO_LABELS = labels([
  ['smart-farm', 'Smart farms', '智慧农场'],
  ['smart-port', 'Smart ports', '智能港口'],
  ['smart-mine', 'Smart mines', '智能矿山'],
  ['smart-factory', 'Smart factories', '智能工厂'],
  ['smart-home', 'Smart homes', '智慧家居'],
  ['smart-education', 'Smart education', '智能教育'],
  ['autonomous-driving', 'Autonomous driving', '自动驾驶'],
  ['smart-diagnosis-and-treatment', 'Smart diagnosis and treatment', '智能诊疗'],
  ['smart-court', 'Smart courts', '智慧法院'],
  ['smart-supply-chain', 'Smart supply chains', '智能供应链'],
]);

const ACTIVITY_LABELS = labels([
  ['develops-ai', 'Develops AI', '研发人工智能'],
  ['applies-ai', 'Applies AI', '应用人工智能'],
  [
    'provides-public-generative-ai-service',
    'Provides generative AI services to the public',
    '向公众提供生成式人工智能服务',
  ],
  ['uses-recommendation-algorithms', 'Uses recommendation algorithms', '应用算法推荐技术'],
  ['provides-deep-synthesis', 'Provides deep synthesis services', '提供深度合成服务'],
  ['conducts-ai-research', 'Conducts AI research', '开展人工智能研究'],
  // Added after profile v1 shipped (codes may be added, never renamed): the platforms the 2025 labelling measures bind.
  [
    'provides-content-dissemination-service',
    'Runs a platform that disseminates online content (publishing, sharing, streaming)',
    '提供网络信息内容传播服务（发布、分享、直播等平台）',
  ],
  ['operates-app-distribution-platform', 'Runs an app distribution platform (app store)', '运营互联网应用程序分发平台'],
]);

const RISK_LABELS = labels([
  ['low', 'Low', '低'],
  ['medium', 'Medium', '中'],
  ['high', 'High', '高'],
]);

const spec = (s: FactSpec): FactSpec => Object.freeze(s);
const codes = (l: Readonly<Record<string, Bilingual>>): readonly string[] => Object.freeze(Object.keys(l));

/** The profile-v1 facts, by path: what rules may read and what a profile form asks. */
export const FACTS: FactCatalogue = Object.freeze({
  name: spec({
    path: 'name',
    type: 'string',
    label: { en: 'Name', zh: '名称' },
    help: { en: 'The enterprise’s name.', zh: '企业名称。' },
  }),
  jurisdictions: spec({
    path: 'jurisdictions',
    type: 'list',
    hierarchical: true,
    values: codes(JURISDICTION_LABELS),
    valueLabels: JURISDICTION_LABELS,
    label: { en: 'Jurisdictions', zh: '所在地区' },
    help: {
      en: 'Where the enterprise is registered or operates. A city also counts as its province and as China.',
      zh: '企业注册或经营所在地。城市同时视为所在省份和全国。',
    },
  }),
  sectors: spec({
    path: 'sectors',
    type: 'list',
    values: codes(SECTOR_LABELS),
    valueLabels: SECTOR_LABELS,
    label: { en: 'Fields', zh: '所属领域' },
    help: {
      en: 'Fields of the major AI scenario categories (Guidance of 12 August 2022) the enterprise works in.',
      zh: '企业所从事的重大人工智能场景类别中的领域（2022年8月12日指导意见）。',
    },
  }),
  scenarios: spec({
    path: 'scenarios',
    type: 'list',
    values: codes(SCENARIO_LABELS),
    valueLabels: SCENARIO_LABELS,
    label: { en: 'Demonstration scenarios', zh: '示范应用场景' },
    help: {
      en: 'Demonstration application scenarios (MOST notice of 15 August 2022) the enterprise works in.',
      zh: '企业所从事的示范应用场景（科技部2022年8月15日通知）。',
    },
  }),
  activities: spec({
    path: 'activities',
    type: 'list',
    values: codes(ACTIVITY_LABELS),
    valueLabels: ACTIVITY_LABELS,
    label: { en: 'AI activities', zh: '人工智能业务' },
    help: { en: 'What the enterprise does with AI.', zh: '企业开展的人工智能相关业务。' },
  }),
  'product.riskLevel': spec({
    path: 'product.riskLevel',
    type: 'enum',
    values: codes(RISK_LABELS),
    valueLabels: RISK_LABELS,
    ordered: true,
    label: { en: 'Risk level of the AI product', zh: '人工智能产品风险等级' },
    help: { en: 'The risk level of the AI product or service.', zh: '人工智能产品或服务的风险等级。' },
  }),
  'product.hasNationalOrLocalStandard': spec({
    path: 'product.hasNationalOrLocalStandard',
    type: 'boolean',
    label: { en: 'A national or local standard exists', zh: '已有国家或地方标准' },
    help: {
      en: 'Whether a national or local standard exists for the product.',
      zh: '该产品是否已有国家标准或地方标准。',
    },
  }),
  'product.meetsInternationalStandard': spec({
    path: 'product.meetsInternationalStandard',
    type: 'boolean',
    label: { en: 'Meets an international standard', zh: '符合国际标准' },
    help: {
      en: 'Whether the product meets an international advanced product standard or specification.',
      zh: '该产品是否符合国际先进产品标准或规范。',
    },
  }),
  'data.handlesPersonalInformation': spec({
    path: 'data.handlesPersonalInformation',
    type: 'boolean',
    label: { en: 'Handles personal information', zh: '处理个人信息' },
    help: { en: 'Whether the enterprise handles personal information.', zh: '企业是否处理个人信息。' },
  }),
  'data.crossBorderTransfer': spec({
    path: 'data.crossBorderTransfer',
    type: 'boolean',
    label: { en: 'Transfers data abroad', zh: '数据出境' },
    help: { en: 'Whether the enterprise transfers data out of China.', zh: '企业是否向境外提供数据。' },
  }),
  'data.handlesImportantData': spec({
    path: 'data.handlesImportantData',
    type: 'boolean',
    label: { en: 'Handles important data', zh: '处理重要数据' },
    help: { en: 'Whether the enterprise handles important data.', zh: '企业是否处理重要数据。' },
  }),
  'size.employees': spec({
    path: 'size.employees',
    type: 'number',
    min: 0,
    integer: true,
    label: { en: 'Employees', zh: '从业人员数' },
    help: { en: 'Number of employees.', zh: '从业人员人数。' },
  }),
  'size.annualRevenueCny': spec({
    path: 'size.annualRevenueCny',
    type: 'number',
    min: 0,
    label: { en: 'Annual revenue (CNY)', zh: '年营业收入（元）' },
    help: { en: 'Annual revenue in yuan.', zh: '年度营业收入，单位：元。' },
  }),
});

/** The path of a profile-v1 fact. */
export type FactPath =
  | 'name'
  | 'jurisdictions'
  | 'sectors'
  | 'scenarios'
  | 'activities'
  | 'product.riskLevel'
  | 'product.hasNationalOrLocalStandard'
  | 'product.meetsInternationalStandard'
  | 'data.handlesPersonalInformation'
  | 'data.crossBorderTransfer'
  | 'data.handlesImportantData'
  | 'size.employees'
  | 'size.annualRevenueCny';

/**
 * A catalogue with more codes for a fact (taxonomy codes are added freely): returns a new catalogue whose `path`
 * accepts `extra` codes as well, with their labels.
 */
export function withValues(
  facts: FactCatalogue,
  path: string,
  extra: Readonly<Record<string, Bilingual>>,
): FactCatalogue {
  const base = facts[path];
  if (base === undefined) throw new Error(`Unknown fact ${path}`);
  const valueLabels = { ...base.valueLabels, ...extra };
  const values = [...(base.values ?? []), ...Object.keys(extra).filter((c) => !(base.values ?? []).includes(c))];
  return Object.freeze({ ...facts, [path]: spec({ ...base, values: Object.freeze(values), valueLabels }) });
}

/** Whether `value` is a valid value of a fact of this spec; invalid values count as missing. */
export function isFactValue(spec: FactSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'list':
      return Array.isArray(value);
    case 'enum':
      return typeof value === 'string' && (spec.values === undefined || spec.values.includes(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
  }
}
