// A small fixed set of realistic enterprise profiles (profile v1) that the rule editor checks a programme's
// eligibility rule against, so an editor sees at once whom a rule would reach. Pure data: no I/O.
import type { Bilingual, Profile } from '../rules/engine.ts';

/** One sample enterprise: a stable id, its name in both languages and its profile. */
export interface SampleProfile {
  readonly id: string;
  readonly name: Bilingual;
  readonly profile: Profile;
}

/** The samples, from a Shanghai start-up to a foreign bank; each leaves some facts unknown, as real answers do. */
export const SAMPLE_PROFILES: readonly SampleProfile[] = Object.freeze([
  {
    id: 'shanghai-ai-startup',
    name: { en: 'Shanghai generative-AI start-up', zh: '上海生成式人工智能初创企业' },
    profile: {
      jurisdictions: ['cn-sh'],
      sectors: ['commerce'],
      activities: ['develops-ai', 'provides-public-generative-ai-service', 'provides-deep-synthesis'],
      data: { handlesPersonalInformation: true, crossBorderTransfer: false },
      size: { employees: 35, annualRevenueCny: 8_000_000 },
    },
  },
  {
    id: 'beijing-compute-user',
    name: { en: 'Beijing financial model developer buying compute', zh: '北京购买算力的金融大模型研发企业' },
    profile: {
      jurisdictions: ['cn-bj'],
      sectors: ['finance'],
      activities: ['develops-ai', 'conducts-ai-research'],
      data: { handlesPersonalInformation: false },
      size: { employees: 120 },
    },
  },
  {
    id: 'shenzhen-device-maker',
    name: { en: 'Shenzhen smart-device manufacturer', zh: '深圳智能硬件制造企业' },
    profile: {
      jurisdictions: ['cn-gd-shenzhen'],
      sectors: ['manufacturing', 'home-furnishing'],
      scenarios: ['smart-factory', 'smart-home'],
      activities: ['applies-ai'],
      product: { riskLevel: 'low', hasNationalOrLocalStandard: false, meetsInternationalStandard: true },
      size: { employees: 800 },
    },
  },
  {
    id: 'hangzhou-platform',
    name: { en: 'Hangzhou e-commerce platform', zh: '杭州电商平台' },
    profile: {
      jurisdictions: ['cn-zj-hangzhou'],
      sectors: ['commerce', 'logistics'],
      scenarios: ['smart-supply-chain'],
      activities: ['applies-ai', 'uses-recommendation-algorithms'],
      data: { handlesPersonalInformation: true, crossBorderTransfer: true, handlesImportantData: true },
      size: { employees: 5_000 },
    },
  },
  {
    id: 'foreign-bank',
    name: { en: 'Foreign bank with a Beijing branch', zh: '设有北京分行的外资银行' },
    profile: {
      jurisdictions: ['cn-bj'],
      sectors: ['finance'],
      activities: ['applies-ai'],
      data: { handlesPersonalInformation: true, crossBorderTransfer: true },
    },
  },
  {
    id: 'guangzhou-hospital',
    name: { en: 'Guangdong hospital piloting AI diagnosis', zh: '广东试点智能诊疗的医院' },
    profile: {
      jurisdictions: ['cn-gd'],
      sectors: ['medical-health'],
      scenarios: ['smart-diagnosis-and-treatment'],
      activities: ['applies-ai'],
      data: { handlesPersonalInformation: true, crossBorderTransfer: false, handlesImportantData: true },
    },
  },
]);
