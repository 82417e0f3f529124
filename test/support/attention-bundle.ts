// A bundle for the attention tests: the shipped content plus a few instruments, programmes and articles (ids att-…)
// with dates chosen around the boundaries the attention list decides on (the day before, of and after each).
import fs from 'node:fs';
import path from 'node:path';
import { copyOfShipped } from './bundles.ts';

const SOURCE = 'seed-twobirds-ai-initiatives-china';

function instrument(id: string, events: string, kind = 'local-regulation'): string {
  return `id: ${id}
title: { en: "Attention test ${id}", zh: "测试 ${id}" }
kind: ${kind}
jurisdiction: cn-sh
issuers: [shanghai-npc-standing-committee]
summary: { en: "A made-up instrument for the attention tests.", zh: "用于测试的虚构文件。" }
sources: [{ source: ${SOURCE} }]
events:
${events}`;
}

function programme(id: string, on: string, extra = ''): string {
  return `id: ${id}
kind: incentive
instrument: ${on}
title: { en: "Programme ${id}", zh: "项目 ${id}" }
description: { en: "A made-up programme.", zh: "虚构的项目。" }
effect: { en: "Nothing.", zh: "无。" }
${extra}rule:
  all:
    - fact: jurisdictions
      op: intersects
      value: [cn-sh]
      label: { en: In Shanghai, zh: 在上海 }
      citation: { instrument: ${on} }
sources: [{ source: ${SOURCE} }]
`;
}

const ev = (type: string, date: string) =>
  `  - type: ${type}\n    date: '${date}'\n    sources: [{ source: ${SOURCE} }]\n`;

function revision(date: string, body: string, note = 'Test.'): string {
  return `---\naccurate_up_to: '${date}'\nchange_note: ${note}\n---\n## Section\n\n${body}\n`;
}

/**
 * att-a: adopted 2024-01-10, announced 2024-02-29 (the article's day), published 2024-02 (a month that is not wholly
 * after it), effective 2024-03-01, amended 2024-05 (month), repealed disputed: 2024-09-01 preferred, 2024-08-15.
 * att-b: expired 2024 (so from 2025-01-01); programme att-prog-recent on it (default valid_while).
 * att-c: repealed 2024-06-01; programme att-prog-open on it, valid_while [in_force, repealed].
 * att-d: comment deadline 2025-03-31, effective 2025-04-30. att-e: effective 2025-05 (month only), and 2025 (year).
 * Article att-article: 2024-02-29 in en and zh citing att-a, review_by 2024-06-30.
 * Article att-lang: en 2024-05-01, zh 2024-04-01, citing att-d; no review_by.
 */
export function attentionBundle(): string {
  const dir = copyOfShipped();
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write(
    'instruments/att-a.yaml',
    instrument(
      'att-a',
      ev('adopted', '2024-01-10') +
        ev('announced', '2024-02-29') +
        ev('published', '2024-02') +
        ev('effective', '2024-03-01') +
        ev('amended', '2024-05') +
        `  - type: repealed
    claims:
      - date: '2024-09-01'
        preferred: true
        sources: [{ source: ${SOURCE} }]
      - date: '2024-08-15'
        sources: [{ source: ${SOURCE} }]
`,
    ),
  );
  write('instruments/att-b.yaml', instrument('att-b', ev('published', '2023-01-01') + ev('expired', '2024'), 'policy'));
  write('instruments/att-c.yaml', instrument('att-c', ev('effective', '2023-01-01') + ev('repealed', '2024-06-01')));
  write(
    'instruments/att-d.yaml',
    instrument(
      'att-d',
      ev('draft-published', '2025-03-01') + ev('comment-deadline', '2025-03-31') + ev('effective', '2025-04-30'),
    ),
  );
  write('instruments/att-e.yaml', instrument('att-e', ev('adopted', '2025-01-02') + ev('effective', '2025-05')));
  write('instruments/att-f.yaml', instrument('att-f', ev('adopted', '2025-01-02') + ev('effective', '2025')));
  write('programmes/att-prog-recent.yaml', programme('att-prog-recent', 'att-b'));
  write('programmes/att-prog-open.yaml', programme('att-prog-open', 'att-c', 'valid_while: [in_force, repealed]\n'));
  write(
    'articles/att-article/article.yaml',
    'id: att-article\nchapter: ai-as-a-digital-asset\njurisdiction: cn\ntitle: { en: Attention article, zh: 测试文章 }\nreview_by: 2024-06-30\n',
  );
  write('articles/att-article/2024-02-29.en.md', revision('2024-02-29', 'See [the rules](instrument:att-a).'));
  write('articles/att-article/2024-02-29.zh.md', revision('2024-02-29', '见[规定](instrument:att-a)。'));
  write(
    'articles/att-lang/article.yaml',
    'id: att-lang\nchapter: ai-as-a-digital-asset\njurisdiction: cn\ntitle: { en: Language article, zh: 语言文章 }\n',
  );
  write('articles/att-lang/2024-05-01.en.md', revision('2024-05-01', 'See [the draft](instrument:att-d).'));
  write('articles/att-lang/2024-04-01.zh.md', revision('2024-04-01', '见[草案](instrument:att-d)。'));
  return dir;
}
