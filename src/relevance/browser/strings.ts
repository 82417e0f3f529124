// The check page's own words in English and Chinese, for the server-rendered shell and the browser script alike.
// Browser-safe: no imports.

export type CheckLang = 'en' | 'zh';
type Kind = 'pilot' | 'scenario-call' | 'incentive' | 'obligation';
type Band = 'applies' | 'unknown' | 'does_not_apply';

export interface CheckStrings {
  readonly title: string;
  readonly lede: string;
  readonly privacy: string;
  readonly noscript: string;
  readonly apiNote: string;
  readonly programmesChecked: (n: number) => string;
  readonly questionsHeading: string;
  readonly questionsIntro: string;
  readonly moreQuestions: string;
  readonly showAll: string;
  readonly dontKnow: string;
  readonly yes: string;
  readonly no: string;
  readonly noneOfThese: string;
  readonly otherFields: string;
  readonly helpsDecide: (n: number) => string;
  readonly invalidNumber: string;
  readonly resultsHeading: string;
  readonly resultsJump: (summary: string) => string;
  readonly summary: (applies: number, unknown: number, none: number) => string;
  readonly bands: Readonly<Record<Band, string>>;
  readonly bandIntro: Readonly<Record<Band, string>>;
  readonly kinds: Readonly<Record<Kind, string>>;
  readonly conditions: string;
  readonly conditionResult: Readonly<Record<Band, string>>;
  readonly yourAnswer: string;
  readonly notAnswered: string;
  readonly effect: string;
  readonly instrument: string;
  readonly provision: string;
  readonly sources: string;
  readonly moreAbout: string;
  readonly citedFrom: string;
  readonly answer: string;
  readonly failsOnlyOn: string;
  readonly notInEffect: (status: string) => string;
  readonly noneInBand: string;
  /** The fold of those that do not apply; `more` when near misses are shown above it. */
  readonly showDoesNotApply: (n: number, more: boolean) => string;
  readonly saveHeading: string;
  readonly saveIntro: string;
  readonly nameLabel: string;
  readonly nameHelp: string;
  readonly saveButton: string;
  readonly saving: string;
  readonly savedIntro: string;
  readonly savedId: string;
  readonly savedToken: string;
  readonly keepToken: string;
  readonly saveFailed: string;
  readonly remember: string;
  readonly rememberHelp: string;
  readonly listSeparator: string;
  /** Between a label ending in a colon and its text: a space in English, none in Chinese. */
  readonly gap: string;
}

const en: CheckStrings = {
  title: 'Check relevance',
  lede: 'Answer a few questions about an enterprise to see which pilots, scenario calls, incentives and obligations concern it — with the reasons, condition by condition, and the sources.',
  privacy:
    'The check runs in your browser: your answers are not sent anywhere. Only if you click “Save this profile” are they sent to this site, to be stored.',
  noscript:
    'The check runs in your browser, with JavaScript, so that your answers never leave your machine. Turn JavaScript on to use it here.',
  apiNote:
    'The same check is available without a browser through the API (POST /api/v1/check) and the command line (horizon check).',
  programmesChecked: (n) => `${n} programmes are checked as of the date above.`,
  questionsHeading: 'Questions',
  questionsIntro:
    'Start with where the enterprise operates and what it does with AI. Further questions appear only when they matter for the answer so far. Leave anything you do not know unanswered: a missing answer is unknown, never “no”.',
  moreQuestions: 'Further questions',
  showAll: 'Show all questions',
  dontKnow: 'Don’t know',
  yes: 'Yes',
  no: 'No',
  noneOfThese: 'None of these',
  otherFields: 'Other fields',
  helpsDecide: (n) => (n === 1 ? 'Helps decide 1 programme.' : `Helps decide ${n} programmes.`),
  invalidNumber: 'Enter a number of at least 0; until then this is treated as unknown.',
  resultsHeading: 'Results',
  resultsJump: (summary) => `Results: ${summary} ↓`,
  summary: (a, u, d) =>
    `${a} ${a === 1 ? 'applies' : 'apply'} · ${u} may apply · ${d} ${d === 1 ? 'does' : 'do'} not apply`,
  bands: { applies: 'Applies', unknown: 'May apply', does_not_apply: 'Does not apply' },
  bandIntro: {
    applies: 'Every condition is met.',
    unknown: 'No condition fails, but some depend on questions not answered yet.',
    does_not_apply: 'A condition is not met, or the instrument is not in effect on the date.',
  },
  kinds: { pilot: 'Pilots', 'scenario-call': 'Scenario calls', incentive: 'Incentives', obligation: 'Obligations' },
  conditions: 'Conditions',
  conditionResult: { applies: 'met', unknown: 'not known yet', does_not_apply: 'not met' },
  yourAnswer: 'Your answer:',
  notAnswered: 'not answered',
  effect: 'Effect:',
  instrument: 'Instrument:',
  provision: 'Provision:',
  sources: 'Sources:',
  moreAbout: 'About this programme, and sources',
  citedFrom: 'Cites:',
  answer: 'Answer:',
  failsOnlyOn: 'Fails only on:',
  notInEffect: (status) => `The instrument is not in effect on the date (${status}).`,
  noneInBand: 'None.',
  showDoesNotApply: (n, more) => `Show the ${n} ${more ? 'others ' : ''}that do not apply`,
  saveHeading: 'Save this profile',
  saveIntro:
    'Saving stores these answers on this site, so that you can later be told when programmes start or stop concerning the enterprise. Nothing is sent or stored unless you click the button.',
  nameLabel: 'Name of the enterprise (optional)',
  nameHelp: 'Stored with the profile if you save it; not used by the check.',
  saveButton: 'Save this profile',
  saving: 'Saving…',
  savedIntro: 'The profile is saved.',
  savedId: 'Profile id',
  savedToken: 'Token',
  keepToken:
    'Keep this token somewhere safe: it is shown only this once, and it is needed to read, change or delete the saved profile (Authorization: Bearer <token>).',
  saveFailed: 'The profile could not be saved:',
  remember: 'Remember my answers on this device',
  rememberHelp: 'Keeps the answers in this browser’s local storage only. Untick to forget them.',
  listSeparator: ', ',
  gap: ' ',
};

const zh: CheckStrings = {
  title: '适用性检查',
  lede: '回答几个关于企业的问题，即可查看哪些先行先试、场景申报、扶持措施和合规义务与其相关——逐项列明条件、理由和出处。',
  privacy: '检查在您的浏览器中运行：您的回答不会发送到任何地方。只有在您点击“保存此画像”时，才会发送到本站并存储。',
  noscript: '检查借助 JavaScript 在您的浏览器中运行，您的回答不会离开您的设备。请启用 JavaScript 后使用。',
  apiNote: '也可以不通过浏览器进行同样的检查：API（POST /api/v1/check）和命令行（horizon check）。',
  programmesChecked: (n) => `按上方日期检查 ${n} 个项目。`,
  questionsHeading: '问题',
  questionsIntro:
    '请先说明企业的经营地区及其人工智能业务。其他问题只在对目前的结果有影响时才会出现。不清楚的问题可以不答：未回答视为未知，而不是“否”。',
  moreQuestions: '其他问题',
  showAll: '显示全部问题',
  dontKnow: '不清楚',
  yes: '是',
  no: '否',
  noneOfThese: '以上皆无',
  otherFields: '其他领域',
  helpsDecide: (n) => `有助于判断 ${n} 个项目。`,
  invalidNumber: '请输入不小于 0 的数字；在此之前视为未知。',
  resultsHeading: '结果',
  resultsJump: (summary) => `结果：${summary} ↓`,
  summary: (a, u, d) => `适用 ${a} 项 · 可能适用 ${u} 项 · 不适用 ${d} 项`,
  bands: { applies: '适用', unknown: '可能适用', does_not_apply: '不适用' },
  bandIntro: {
    applies: '所有条件均已满足。',
    unknown: '没有不满足的条件，但部分条件取决于尚未回答的问题。',
    does_not_apply: '有条件未满足，或文件在该日期不具效力。',
  },
  kinds: { pilot: '先行先试', 'scenario-call': '场景申报', incentive: '扶持措施', obligation: '合规义务' },
  conditions: '条件',
  conditionResult: { applies: '满足', unknown: '尚不确定', does_not_apply: '不满足' },
  yourAnswer: '您的回答：',
  notAnswered: '未回答',
  effect: '效果：',
  instrument: '文件：',
  provision: '条款：',
  sources: '来源：',
  moreAbout: '项目说明与来源',
  citedFrom: '依据：',
  answer: '回答：',
  failsOnlyOn: '仅因以下条件不满足：',
  notInEffect: (status) => `该文件在该日期不具效力（${status}）。`,
  noneInBand: '无。',
  showDoesNotApply: (n, more) => `显示${more ? '其他' : ''}不适用的 ${n} 项`,
  saveHeading: '保存此画像',
  saveIntro: '保存后，这些回答将存储在本站，以便今后在有项目开始或不再与企业相关时通知您。只有点击按钮才会发送和存储。',
  nameLabel: '企业名称（选填）',
  nameHelp: '保存时与画像一并存储；检查不使用该字段。',
  saveButton: '保存此画像',
  saving: '正在保存…',
  savedIntro: '画像已保存。',
  savedId: '画像编号',
  savedToken: '令牌',
  keepToken:
    '请妥善保管此令牌：它只显示这一次，读取、修改或删除已保存的画像时都需要它（Authorization: Bearer <令牌>）。',
  saveFailed: '画像未能保存：',
  remember: '在此设备上记住我的回答',
  rememberHelp: '回答仅保存在本浏览器的本地存储中。取消勾选即可清除。',
  listSeparator: '、',
  gap: '',
};

const STRINGS: Readonly<Record<CheckLang, CheckStrings>> = { en, zh };

export function checkStrings(lang: CheckLang): CheckStrings {
  return STRINGS[lang];
}
