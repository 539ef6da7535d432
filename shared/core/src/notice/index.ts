export * from './notice-model.js';
export { buildNotice, type NoticeInput } from './build-notice.js';
export { renderNotice, noticeFormats, noticeMediaTypes, noticeFileNames, type NoticeFormat } from './notice-formats.js';
export { licenseListSource, listedLicenseText, type ListedLicenseText } from './spdx-license-texts.js';
export { expressionLeaves, type ExpressionLeaf } from './expression-leaves.js';
