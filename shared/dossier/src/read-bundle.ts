import { AppError, type AuditEventRecord } from '@clearance/core';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENTS_FILE, MANIFEST_FILE } from './bundle-layout.js';
import { readEventLines } from './event-lines.js';
import { bundleManifestSchema, type BundleManifest } from './manifest.js';

/** The manifest of a bundle, parsed; it is not verified here (that is verifyBundle's job). */
export async function readBundleManifest(dir: string): Promise<BundleManifest> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
  } catch (error) {
    throw new AppError('bad_request', `${join(dir, MANIFEST_FILE)} cannot be read as JSON`, undefined, { cause: error });
  }
  const parsed = bundleManifestSchema.safeParse(json);
  if (!parsed.success) throw new AppError('validation_failed', `${join(dir, MANIFEST_FILE)} is not a bundle manifest`, parsed.error.issues);
  return parsed.data;
}

/** The bundle's events in file order, streamed; a line that is not a record stops the stream with an error. */
export async function* readBundleEvents(dir: string): AsyncGenerator<AuditEventRecord> {
  for await (const line of readEventLines(join(dir, EVENTS_FILE))) {
    if (!line.ok) throw new AppError('validation_failed', `${EVENTS_FILE} line ${line.line} is not an event record (${line.error})`);
    yield line.event;
  }
}
