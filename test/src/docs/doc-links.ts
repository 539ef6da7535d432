import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { parseDoc, type ParsedDoc } from './markdown-docs.js';

const external = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Every relative link of a document that does not resolve: a file or folder
 * that is not in the repository, or an anchor that is not a heading of the
 * Markdown file it points into. External URLs are not fetched.
 */
export const brokenLinks = (root: string, doc: ParsedDoc): string[] => {
  const anchorsOf = new Map<string, Set<string>>([[doc.file, doc.anchors]]);
  const anchorsIn = (file: string): Set<string> => {
    let anchors = anchorsOf.get(file);
    if (anchors === undefined) {
      anchors = parseDoc(file, readFileSync(join(root, file), 'utf8')).anchors;
      anchorsOf.set(file, anchors);
    }
    return anchors;
  };
  const problems: string[] = [];
  for (const link of doc.links) {
    if (external.test(link.text)) continue;
    const [pathPart = '', anchor] = link.text.split('#', 2);
    const path = decodeURIComponent(pathPart);
    const where = `${link.file}:${link.line}: ${link.text}`;
    if (path === '') {
      if (anchor !== undefined && anchor !== '' && !doc.anchors.has(anchor)) problems.push(`${where}: ${doc.file} has no heading with this anchor`);
      continue;
    }
    const absolute = resolve(root, dirname(doc.file), path);
    if (!absolute.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) {
      problems.push(`${where}: points outside the repository`);
      continue;
    }
    if (!existsSync(absolute)) {
      problems.push(`${where}: no such file`);
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    const target = absolute.slice(root.length).replace(/^[/\\]/, '');
    if (!statSync(absolute).isFile() || !target.endsWith('.md')) {
      problems.push(`${where}: an anchor into something that is not a Markdown file`);
    } else if (!anchorsIn(target).has(anchor)) {
      problems.push(`${where}: ${target} has no heading with this anchor`);
    }
  }
  return problems;
};
