// The guide's own words in English and Chinese (content comes from the knowledge base), and date formatting.
import { formatPartialDate } from '../domain/dates.ts';
import type { Lang, LegalForce, RelationType, SourceKind, Status } from '../domain/types.ts';

const en = {
  htmlLang: 'en',
  otherLang: 'zh' as Lang,
  otherLangName: '中文',
  otherLangHtml: 'zh-Hans',
  switchLanguage: 'Read this page in Chinese',
  tagline: 'AI and digital-asset regulation in China, structured, cited and bilingual',
  skipToContent: 'Skip to content',
  siteNav: 'Site',
  navGuide: 'Guide',
  navJurisdictions: 'Jurisdictions',
  navCheck: 'Check relevance',
  navApi: 'API',
  searchForm: 'Search the knowledge base',
  searchLabel: 'Search',
  searchPlaceholder: 'Search, e.g. Shenzhen or 算力券',
  searchButton: 'Search',
  breadcrumb: 'Breadcrumb',
  home: 'Guide',
  statusAsOf: 'Status as of',
  todayNote: '(today)',
  asOf: 'As of',
  asOfForm: 'Choose the date the page reflects',
  show: 'Show',
  backToToday: 'Back to today',
  footer:
    'Horizon is a knowledge base of legal and policy instruments. Statuses are derived from dated lifecycle events and every fact cites its sources. It is not legal advice.',
  footerData: 'Data',
  footerApi: 'OpenAPI description of the API',
  // home
  homeTitle: 'A guide to AI and digital-asset regulation',
  homeIntro:
    'Chapters of the guide, each with articles per jurisdiction, written on top of a structured, cited knowledge base of instruments whose status you can see as of any date.',
  chapters: 'Chapters',
  noArticlesYet: 'No articles in this chapter yet.',
  jurisdictions: 'Jurisdictions',
  jurisdictionsIntro: 'Each jurisdiction page lists its instruments, and those of the places within it, by status.',
  upcoming: 'Coming up after the as-of date',
  recent: 'Recent changes up to the as-of date',
  // chapter
  chapter: 'Chapter',
  articlesByJurisdiction: 'Articles by jurisdiction',
  // article
  contents: 'On this page',
  introduction: 'Introduction',
  accurateUpTo: 'Information is accurate up to',
  earlierRevision: 'Earlier revision: accurate up to',
  latestRevision: 'Latest revision: accurate up to',
  otherRevisions: 'Other revisions',
  revision: 'This revision',
  accurateShort: 'Accurate up to',
  notLatest: 'You are reading an earlier revision of this article, accurate up to',
  readLatest: 'Read the latest revision, accurate up to',
  changeNote: 'What changed',
  noChinese: 'This revision has not been translated into Chinese yet; the English text is shown.',
  noEnglish: 'This revision exists only in Chinese; the Chinese text is shown.',
  exploreFurther: 'Explore further sections',
  noFurtherSections: 'No other sections in this chapter yet.',
  exploreChapters: 'Explore other chapters in the guide',
  statusBadgeTitle: 'Status as of',
  // instrument
  instrument: 'Instrument',
  statusHeading: 'Status',
  notYetIssued: 'Not yet issued',
  notYetIssuedAsOf: 'Not yet issued as of',
  nextEvent: 'Next',
  facts: 'Details',
  titleEn: 'Title (English)',
  titleZh: 'Title (Chinese)',
  shortTitle: 'Short title',
  documentNumber: 'Document number',
  unknown: 'unknown',
  kind: 'Kind',
  legalForce: 'Legal force',
  jurisdiction: 'Jurisdiction',
  issuers: 'Issued by',
  summary: 'Summary',
  notes: 'Notes',
  lifecycle: 'Lifecycle',
  lifecycleIntro: 'Dated events, oldest first. Events after the as-of date are dimmed.',
  approximate: 'approximate',
  afterAsOf: 'after the as-of date',
  dateUnknown: 'date unknown',
  asOfMarker: 'As of',
  disputed: 'Date disputed',
  disputedShownAs: 'shown as',
  preferred: 'preferred',
  sourcesGive: 'The sources give:',
  sources: 'Sources',
  sourcesLabel: 'Sources:',
  readOn: 'read on',
  publisher: 'Publisher',
  noUrl: 'no web address',
  tags: 'Topics and tags',
  relations: 'Related instruments',
  noRelations: 'No relations recorded.',
  citedIn: 'Cited in the guide',
  notCited: 'No guide article cites this instrument yet.',
  // jurisdiction
  parent: 'Part of',
  children: 'Within it',
  instrumentsByStatus: 'Instruments by status',
  includesDescendants: 'Including the jurisdictions within it.',
  noInstruments: 'No instruments.',
  articles: 'Guide articles',
  // errors
  errorBadParameter: 'A parameter is not valid',
  errorNotFound: 'Not found',
  errorInternal: 'Something went wrong on our side',
  errorBack: 'Go to the guide',
  parameter: 'Parameter',
};

export type Strings = typeof en;

const zh: Strings = {
  htmlLang: 'zh-Hans',
  otherLang: 'en',
  otherLangName: 'English',
  otherLangHtml: 'en',
  switchLanguage: '以英文阅读本页',
  tagline: '中国人工智能与数字资产监管：结构化、有出处、双语',
  skipToContent: '跳到正文',
  siteNav: '网站',
  navGuide: '指南',
  navJurisdictions: '法域',
  navCheck: '适用性检查',
  navApi: 'API',
  searchForm: '搜索知识库',
  searchLabel: '搜索',
  searchPlaceholder: '搜索，如 深圳 或 compute vouchers',
  searchButton: '搜索',
  breadcrumb: '当前位置',
  home: '指南',
  statusAsOf: '状态截至',
  todayNote: '（今天）',
  asOf: '截至日期',
  asOfForm: '选择本页反映的日期',
  show: '查看',
  backToToday: '回到今天',
  footer:
    'Horizon 是法律和政策文件的知识库。状态由有日期的生命周期事件推导得出，每一项事实均注明出处。本站内容不构成法律意见。',
  footerData: '数据',
  footerApi: 'API 的 OpenAPI 描述',
  homeTitle: '人工智能与数字资产监管指南',
  homeIntro:
    '指南分为若干章节，每章按法域收录文章；文章建立在结构化、有出处的文件知识库之上，可查看任一日期的文件状态。',
  chapters: '章节',
  noArticlesYet: '本章暂无文章。',
  jurisdictions: '法域',
  jurisdictionsIntro: '每个法域页面按状态列出该法域及其下辖地区的文件。',
  upcoming: '截至日期之后即将发生',
  recent: '截至日期前的最新变化',
  chapter: '章节',
  articlesByJurisdiction: '按法域分列的文章',
  contents: '本页内容',
  introduction: '引言',
  accurateUpTo: '信息截至',
  earlierRevision: '较早版本：信息截至',
  latestRevision: '最新版本：信息截至',
  otherRevisions: '其他版本',
  revision: '本版本',
  accurateShort: '信息截至',
  notLatest: '您正在阅读本文的较早版本，信息截至',
  readLatest: '阅读最新版本，信息截至',
  changeNote: '修订说明',
  noChinese: '本版本尚无中文译文，以下显示英文原文。',
  noEnglish: '本版本仅有中文，以下显示中文文本。',
  exploreFurther: '探索本章其他部分',
  noFurtherSections: '本章暂无其他部分。',
  exploreChapters: '探索指南的其他章节',
  statusBadgeTitle: '状态截至',
  instrument: '文件',
  statusHeading: '状态',
  notYetIssued: '尚未发布',
  notYetIssuedAsOf: '尚未发布，截至',
  nextEvent: '下一步',
  facts: '基本信息',
  titleEn: '标题（英文）',
  titleZh: '标题（中文）',
  shortTitle: '简称',
  documentNumber: '文号',
  unknown: '不详',
  kind: '类型',
  legalForce: '效力',
  jurisdiction: '法域',
  issuers: '发布机关',
  summary: '摘要',
  notes: '备注',
  lifecycle: '生命周期',
  lifecycleIntro: '按时间先后列出的事件。截至日期之后的事件以浅色显示。',
  approximate: '约',
  afterAsOf: '在截至日期之后',
  dateUnknown: '日期不详',
  asOfMarker: '截至',
  disputed: '日期存在争议',
  disputedShownAs: '显示为',
  preferred: '采用',
  sourcesGive: '各来源所载日期：',
  sources: '来源',
  sourcesLabel: '来源：',
  readOn: '查阅于',
  publisher: '发布者',
  noUrl: '无网址',
  tags: '主题与标签',
  relations: '相关文件',
  noRelations: '暂无关联记录。',
  citedIn: '指南中的引用',
  notCited: '指南文章尚未引用本文件。',
  parent: '隶属于',
  children: '下辖',
  instrumentsByStatus: '按状态分列的文件',
  includesDescendants: '包括其下辖法域的文件。',
  noInstruments: '暂无文件。',
  articles: '指南文章',
  errorBadParameter: '参数无效',
  errorNotFound: '未找到',
  errorInternal: '服务器出现问题',
  errorBack: '返回指南',
  parameter: '参数',
};

const STRINGS: Record<Lang, Strings> = { en, zh };

export function strings(lang: Lang): Strings {
  return STRINGS[lang];
}

/** A date of any precision for readers: "1 October 2022" or "2022年10月1日". */
export function formatDate(text: string, lang: Lang): string {
  return formatPartialDate(text, lang);
}

const STATUS: Record<Status, Record<Lang, string>> = {
  draft: { en: 'Draft', zh: '草案' },
  adopted: { en: 'Adopted, not yet in force', zh: '已通过，尚未施行' },
  in_force: { en: 'In force', zh: '现行有效' },
  issued: { en: 'Issued', zh: '已发布' },
  superseded: { en: 'Superseded', zh: '已被替代' },
  repealed: { en: 'Repealed', zh: '已废止' },
  expired: { en: 'Expired', zh: '已失效' },
};

/** The words for a status (fixed here so that pages always say exactly "Adopted, not yet in force"). */
export function statusLabel(status: Status, lang: Lang): string {
  return STATUS[status][lang];
}

const FORCE: Record<LegalForce, Record<Lang, string>> = {
  binding: { en: 'Binding', zh: '具有约束力' },
  'non-binding': { en: 'Non-binding', zh: '不具约束力' },
};

export function legalForceLabel(force: LegalForce, lang: Lang): string {
  return FORCE[force][lang];
}

const SOURCE_KIND: Record<SourceKind, Record<Lang, string>> = {
  official: { en: 'official', zh: '官方' },
  secondary: { en: 'secondary', zh: '二手' },
  mirror: { en: 'mirror', zh: '转载' },
};

export function sourceKindLabel(kind: SourceKind, lang: Lang): string {
  return SOURCE_KIND[kind][lang];
}

const RELATION: Record<RelationType, Record<'outgoing' | 'incoming', Record<Lang, string>>> = {
  implements: { outgoing: { en: 'Implements', zh: '实施' }, incoming: { en: 'Implemented by', zh: '由其实施' } },
  follows: { outgoing: { en: 'Follows', zh: '承接' }, incoming: { en: 'Followed by', zh: '后续文件' } },
  amends: { outgoing: { en: 'Amends', zh: '修改' }, incoming: { en: 'Amended by', zh: '被修改于' } },
  supersedes: { outgoing: { en: 'Supersedes', zh: '替代' }, incoming: { en: 'Superseded by', zh: '被替代于' } },
  repeals: { outgoing: { en: 'Repeals', zh: '废止' }, incoming: { en: 'Repealed by', zh: '被废止于' } },
  'based-on': { outgoing: { en: 'Based on', zh: '依据' }, incoming: { en: 'Basis for', zh: '作为依据' } },
  cites: { outgoing: { en: 'Cites', zh: '引用' }, incoming: { en: 'Cited by', zh: '被引用于' } },
};

export function relationLabel(type: RelationType, direction: 'outgoing' | 'incoming', lang: Lang): string {
  return RELATION[type][direction][lang];
}
