import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { marked, type Token, type Tokens } from 'marked';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The project's own documents: the front door, the root guides, docs/ and the READMEs they link to. */
export const projectDocs = (): string[] => [
  'README.md',
  'CONTRIBUTING.md',
  'CHANGELOG.md',
  ...readdirSync(join(repoRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
  'policies/README.md',
  'shared/dossier/README.md',
];

export interface DocSnippet {
  /** Repository-relative path of the document. */
  file: string;
  /** 1-based line of the snippet in the document. */
  line: number;
  text: string;
}

export interface ParsedDoc {
  file: string;
  /** Lines of shell from fenced blocks (sh, bash, shell, console or no language), continuations joined. */
  shellLines: DocSnippet[];
  /** Inline code spans. */
  codeSpans: DocSnippet[];
  /** Link and image targets, from Markdown and from HTML `href`/`src` attributes. */
  links: DocSnippet[];
  /** GitHub's anchors of the document's headings. */
  anchors: Set<string>;
}

const shellLanguages = new Set(['', 'sh', 'bash', 'shell', 'console']);

/** A heading's text as GitHub renders it (inline code and emphasis reduced to their text). */
const plainText = (tokens: readonly Token[] | undefined): string =>
  (tokens ?? [])
    .map((token) => {
      if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length > 0) return plainText(token.tokens);
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
    })
    .join('');

const joinContinuations = (code: string, firstLine: number, file: string): DocSnippet[] => {
  const snippets: DocSnippet[] = [];
  let pending: DocSnippet | null = null;
  code.split('\n').forEach((raw, index) => {
    const line = raw.replace(/^\$ /, '');
    const current: DocSnippet = pending ?? { file, line: firstLine + index, text: '' };
    const continued = line.endsWith('\\');
    current.text += continued ? `${line.slice(0, -1)} ` : line;
    pending = continued ? current : null;
    if (!continued && current.text.trim() !== '') snippets.push(current);
  });
  if (pending !== null) snippets.push(pending);
  return snippets;
};

/** Parses one document with a real Markdown lexer, so code blocks, spans and links are told apart as GitHub does. */
export const parseDoc = (file: string, markdown: string): ParsedDoc => {
  const doc: ParsedDoc = { file, shellLines: [], codeSpans: [], links: [], anchors: new Set() };
  const slugger = new GithubSlugger();
  const tokens = marked.lexer(markdown);
  // Top-level tokens carry their raw text in order: their offsets give line numbers.
  let offset = 0;
  const lineAt = (position: number): number => markdown.slice(0, position).split('\n').length;
  for (const top of tokens) {
    const start = markdown.indexOf(top.raw, offset);
    const topLine = lineAt(start === -1 ? offset : start);
    if (start !== -1) offset = start + top.raw.length;
    // Our callback is synchronous: the promises walkTokens collects are all undefined.
    void marked.walkTokens([top], (token) => {
      switch (token.type) {
        case 'code': {
          const code = token as Tokens.Code;
          if (code.codeBlockStyle !== 'indented' && shellLanguages.has((code.lang ?? '').trim())) {
            // The fence line itself comes first.
            doc.shellLines.push(...joinContinuations(code.text, topLine + 1, file));
          }
          break;
        }
        case 'codespan':
          doc.codeSpans.push({ file, line: topLine, text: (token as Tokens.Codespan).text });
          break;
        case 'link':
        case 'image':
          doc.links.push({ file, line: topLine, text: (token as Tokens.Link | Tokens.Image).href });
          break;
        case 'html':
          for (const match of (token as Tokens.HTML).raw.matchAll(/\b(?:href|src)\s*=\s*"([^"]*)"/g)) {
            if (match[1] !== undefined) doc.links.push({ file, line: topLine, text: match[1] });
          }
          break;
        case 'heading':
          doc.anchors.add(slugger.slug(plainText((token as Tokens.Heading).tokens)));
          break;
        default:
          break;
      }
    });
  }
  return doc;
};

export const readDoc = (file: string): ParsedDoc => parseDoc(file, readFileSync(join(repoRoot, file), 'utf8'));

export const repoRelative = (path: string): string => relative(repoRoot, path);
