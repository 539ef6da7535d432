export * from './notification-channels.js';
export * from './email-channel.js';
