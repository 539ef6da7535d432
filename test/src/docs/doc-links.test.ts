import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenLinks } from './doc-links.js';
import { parseDoc, projectDocs, readDoc, repoRoot } from './markdown-docs.js';

describe('the links of the docs', () => {
  it('every relative link and image of the docs resolves to a file in the repository, and every anchor to a heading', () => {
    const docs = projectDocs().map(readDoc);
    expect(docs.flatMap((doc) => brokenLinks(repoRoot, doc))).toEqual([]);
    // The front door links into docs/: an empty list would mean the parser found nothing.
    expect(docs.find((doc) => doc.file === 'README.md')?.links.map((link) => link.text)).toContain('docs/architecture.md');
  });
});

describe('the link checker', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'clearance-doc-links-'));
    await mkdir(join(root, 'docs'));
    await writeFile(join(root, 'docs', 'guide.md'), '# Guide\n\n## Step `one` (the first)\n\n## Step `one` (the first)\n');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('names missing files, missing anchors and links out of the repository, and accepts what resolves', () => {
    const markdown = [
      '# Top',
      '',
      '[ok](docs/guide.md) [ok](docs/guide.md#step-one-the-first) [ok](docs/guide.md#step-one-the-first-1) [ok](#top) [ok](docs/)',
      '',
      '[gone](docs/missing.md) [bad anchor](docs/guide.md#step-two) [out](../elsewhere.md) [self](#nowhere)',
      '',
      '<img src="docs/missing.png" alt="x"> [web](https://example.com/x.md#y)',
      '',
      '```sh',
      'cat [not a link](docs/missing.md)',
      '```',
    ].join('\n');
    expect(brokenLinks(root, parseDoc('README.md', markdown))).toEqual([
      'README.md:5: docs/missing.md: no such file',
      'README.md:5: docs/guide.md#step-two: docs/guide.md has no heading with this anchor',
      'README.md:5: ../elsewhere.md: points outside the repository',
      'README.md:5: #nowhere: README.md has no heading with this anchor',
      'README.md:7: docs/missing.png: no such file',
    ]);
  });
});
