#!/usr/bin/env -S node --min-semi-space-size=16
import { isAppError } from '@clearance/core';
import { CommanderError } from 'commander';
import { EnvironmentError } from './config/environment.js';
import { createProgram } from './program.js';
import { RedisUnavailableError } from './runtime/redis-unavailable-error.js';

/** Exit codes: 0 success, 1 failure (or a policy failure for `check`), 2 bad input or usage. */
function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
  }
  if (error instanceof EnvironmentError) return 2;
  if (isAppError(error)) return ['bad_request', 'validation_failed', 'unprocessable', 'unsupported_media_type', 'payload_too_large', 'not_found'].includes(error.code) ? 2 : 1;
  return 1;
}

function describe(error: unknown): string {
  if (isAppError(error)) {
    const details = Array.isArray(error.details) ? error.details.map((detail) => `\n  ${JSON.stringify(detail)}`).join('') : '';
    return `${error.message}${details}`;
  }
  if (error instanceof EnvironmentError || error instanceof RedisUnavailableError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

// A reader that stops early (`clearance check bom.json | head`) closes the pipe: that is its
// choice, not our failure, so end quietly as a process killed by SIGPIPE would (128 + 13),
// which `set -o pipefail` still sees as not-a-pass.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(141);
});

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  const code = exitCodeOf(error);
  // Commander already printed its own usage message.
  if (!(error instanceof CommanderError)) process.stderr.write(`clearance: ${describe(error)}\n`);
  process.exitCode = code;
}
