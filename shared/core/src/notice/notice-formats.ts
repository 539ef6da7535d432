import type { NoticeDocument } from './notice-model.js';
import { renderNoticeHtml } from './render-html.js';
import { renderNoticeMarkdown } from './render-markdown.js';
import { renderNoticeText } from './render-text.js';

export const noticeFormats = ['text', 'html', 'md', 'json'] as const;
export type NoticeFormat = (typeof noticeFormats)[number];

/** The media type each format is served as. */
export const noticeMediaTypes: Record<NoticeFormat, string> = {
  text: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export const noticeFileNames: Record<NoticeFormat, string> = { text: 'NOTICE', html: 'NOTICE.html', md: 'NOTICE.md', json: 'NOTICE.json' };

/** One document in one format; the CLI and the API both call this, so their bytes are the same. */
export const renderNotice = (doc: NoticeDocument, format: NoticeFormat): string => {
  switch (format) {
    case 'text':
      return renderNoticeText(doc);
    case 'html':
      return renderNoticeHtml(doc);
    case 'md':
      return renderNoticeMarkdown(doc);
    case 'json':
      return `${JSON.stringify(doc, null, 2)}\n`;
  }
};
