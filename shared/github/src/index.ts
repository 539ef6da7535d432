export * from './client.js';
export * from './errors.js';
export { agreementFiles, detectAgreementsInText } from './cla-detection.js';
