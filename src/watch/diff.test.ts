// Comparing two revisions of an article: sections paired by heading, word-level diffs in English and Chinese.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countWords, diffRevisions, diffText, splitSections, type DiffPart, type SectionDiff } from './diff.ts';

/** The text a section had before (same + removed) or has after (same + added). */
function side(parts: readonly DiffPart[] | undefined, which: 'before' | 'after'): string {
  const drop = which === 'before' ? 'added' : 'removed';
  return (parts ?? [])
    .filter((p) => p.kind !== drop)
    .map((p) => p.text)
    .join('');
}

function section(sections: readonly SectionDiff[], heading: string | null): SectionDiff {
  const s = sections.find((x) => x.heading === heading);
  assert.ok(s, `a section headed ${String(heading)}`);
  return s;
}

const BEFORE = `Lead paragraph.

## Latest developments

On 12 August 2022 the Ministry issued the Guidance. It has four headings.

## Next steps

Other local governments are expected to follow.
`;

describe('splitting Markdown into sections', () => {
  it('starts a section at each # or ## heading, keeps deeper headings and fenced code inside', () => {
    const sections = splitSections(
      'Lead.\n\n## One\n\ntext\n\n### Sub\n\n```\n## not a heading\n```\n\n# Two #\nmore\n',
    );
    assert.deepEqual(
      sections.map((s) => s.heading),
      [null, 'One', 'Two'],
    );
    assert.equal(sections[1]?.text, '## One\n\ntext\n\n### Sub\n\n```\n## not a heading\n```');
    assert.equal(sections[2]?.text, '# Two #\nmore');
  });

  it('leaves out an empty lead and reads headings as plain text', () => {
    const sections = splitSections('\n\n## The *new* [rules](instrument:x)\r\nbody\r\n');
    assert.deepEqual(
      sections.map((s) => [s.heading, s.text]),
      [['The new rules', '## The *new* [rules](instrument:x)\nbody']],
    );
  });
});

describe('diffing two revisions', () => {
  it('identical texts: every section unchanged, zero stats', () => {
    const d = diffRevisions(BEFORE, BEFORE, 'en');
    assert.deepEqual(
      d.sections.map((s) => [s.heading, s.status]),
      [
        [null, 'unchanged'],
        ['Latest developments', 'unchanged'],
        ['Next steps', 'unchanged'],
      ],
    );
    assert.deepEqual(d.stats, {
      sectionsAdded: 0,
      sectionsRemoved: 0,
      sectionsChanged: 0,
      wordsAdded: 0,
      wordsRemoved: 0,
    });
    for (const s of d.sections) assert.ok(s.parts?.every((p) => p.kind === 'same'));
  });

  it('an English word changed inside a paragraph: only that section changes, word by word', () => {
    const after = BEFORE.replace('It has four headings.', 'It has five short headings.');
    const d = diffRevisions(BEFORE, after, 'en');
    const changed = section(d.sections, 'Latest developments');
    assert.equal(changed.status, 'changed');
    assert.equal(section(d.sections, 'Next steps').status, 'unchanged');
    assert.equal(section(d.sections, null).status, 'unchanged');
    const edits = (changed.parts ?? []).filter((p) => p.kind !== 'same');
    assert.deepEqual(edits, [
      { kind: 'removed', text: 'four' },
      { kind: 'added', text: 'five short' },
    ]);
    assert.deepEqual(d.stats, {
      sectionsAdded: 0,
      sectionsRemoved: 0,
      sectionsChanged: 1,
      wordsAdded: 2,
      wordsRemoved: 1,
    });
  });

  it('re-joining same + added gives the newer section, same + removed the older one', () => {
    const after = BEFORE.replace('the Ministry issued', 'MOST and five other departments issued').replace(
      'expected to follow.',
      'expected to follow, and have.\n\nA new paragraph.',
    );
    const d = diffRevisions(BEFORE, after, 'en');
    const olderText = new Map(splitSections(BEFORE).map((s) => [s.heading, s.text]));
    const newerText = new Map(splitSections(after).map((s) => [s.heading, s.text]));
    for (const s of d.sections) {
      assert.equal(side(s.parts, 'after'), newerText.get(s.heading), `after text of ${String(s.heading)}`);
      assert.equal(side(s.parts, 'before'), olderText.get(s.heading), `before text of ${String(s.heading)}`);
    }
    assert.equal(d.stats.sectionsChanged, 2);
  });

  it('a section added and a section removed, each where it stands', () => {
    const after = BEFORE.replace(
      '## Next steps',
      '## Rules for AI services\n\nThe interim measures apply.\n\n## Next steps',
    ).replace(/Lead paragraph\.\n\n/, '');
    const d = diffRevisions(BEFORE, after, 'en');
    assert.deepEqual(
      d.sections.map((s) => [s.heading, s.status]),
      [
        [null, 'removed'],
        ['Latest developments', 'unchanged'],
        ['Rules for AI services', 'added'],
        ['Next steps', 'unchanged'],
      ],
    );
    assert.deepEqual(section(d.sections, 'Rules for AI services').parts, [
      { kind: 'added', text: '## Rules for AI services\n\nThe interim measures apply.' },
    ]);
    assert.deepEqual(section(d.sections, null).parts, [{ kind: 'removed', text: 'Lead paragraph.' }]);
    assert.deepEqual(d.stats, {
      sectionsAdded: 1,
      sectionsRemoved: 1,
      sectionsChanged: 0,
      wordsAdded: 8,
      wordsRemoved: 2,
    });
  });

  it('a removed section is placed after the section it followed', () => {
    const older = '## A\n\na\n\n## B\n\nb\n\n## C\n\nc\n';
    const newer = '## C\n\nc\n\n## A\n\na\n';
    assert.deepEqual(
      diffRevisions(older, newer, 'en').sections.map((s) => [s.heading, s.status]),
      [
        ['C', 'unchanged'],
        ['A', 'unchanged'],
        ['B', 'removed'],
      ],
    );
  });

  it('a renamed heading over much the same text is one changed section; over new text, a removal and an addition', () => {
    const renamed = BEFORE.replace('## Next steps', '## What comes next');
    const d = diffRevisions(BEFORE, renamed, 'en');
    const s = section(d.sections, 'What comes next');
    assert.equal(s.status, 'changed');
    assert.equal(s.previousHeading, 'Next steps');
    assert.deepEqual(
      (s.parts ?? []).filter((p) => p.kind !== 'same'),
      [
        { kind: 'removed', text: 'Next steps' },
        { kind: 'added', text: 'What comes next' },
      ],
    );
    assert.equal(d.stats.sectionsChanged, 1);
    assert.equal(d.sections.length, 3);

    const rewritten = BEFORE.replace(
      '## Next steps\n\nOther local governments are expected to follow.',
      '## Outlook\n\nNothing in common here at all.',
    );
    assert.deepEqual(
      diffRevisions(BEFORE, rewritten, 'en').sections.map((x) => [x.heading, x.status]),
      [
        [null, 'unchanged'],
        ['Latest developments', 'unchanged'],
        ['Next steps', 'removed'],
        ['Outlook', 'added'],
      ],
    );
  });

  it('Chinese text is compared word by word (Intl.Segmenter), not character by character or line by line', () => {
    const older = '## 下一步\n\n预计其他地方政府也将效仿上海和深圳，出台政策。\n';
    const newer = '## 下一步\n\n预计其他地方政府也将效仿北京和深圳，出台政策。\n';
    const d = diffRevisions(older, newer, 'zh');
    const s = section(d.sections, '下一步');
    assert.equal(s.status, 'changed');
    assert.deepEqual(
      (s.parts ?? []).filter((p) => p.kind !== 'same'),
      [
        { kind: 'removed', text: '上海' },
        { kind: 'added', text: '北京' },
      ],
    );
    assert.equal(side(s.parts, 'after'), newer.trimEnd());
    assert.equal(side(s.parts, 'before'), older.trimEnd());
    assert.deepEqual(d.stats, {
      sectionsAdded: 0,
      sectionsRemoved: 0,
      sectionsChanged: 1,
      wordsAdded: 1,
      wordsRemoved: 1,
    });
  });

  it('keeps punctuation and spaces of Chinese text so the parts join back exactly', () => {
    const older = '2022年8月30日，上海市公布草案。 Shanghai draft.';
    const newer = '2022年8月30日，上海市公布[条例](instrument:x)草案，公开征求意见。 Shanghai draft!';
    const parts = diffText(older, newer, 'zh');
    assert.equal(side(parts, 'before'), older);
    assert.equal(side(parts, 'after'), newer);
    assert.ok(parts.some((p) => p.kind === 'added' && p.text.includes('征求')));
  });

  it('counts words: Chinese words, Latin words and numbers, not spaces or punctuation', () => {
    assert.equal(countWords('It has five short headings.', 'en'), 5);
    assert.equal(countWords('  — ', 'en'), 0);
    assert.ok(countWords('人工智能产业', 'zh') >= 2);
  });
});
