export * from './build-report.js';
export * from './report-model.js';
export * from './render-html.js';
export * from './render-markdown.js';
export type { RenderOptions, ReportSection } from './render-options.js';
export { escapeHtml, escapeMarkdown } from './escape.js';
