import { open } from 'node:fs/promises';
import { AppError } from '@clearance/core';

/**
 * The SBOM's bytes from a path, or stdin for `-`. An oversized regular file
 * is refused from its size before it is read; a pipe or device is read to
 * at most `maxBytes + 1`.
 * File system errors become AppErrors with one-line messages (exit 2).
 */
export const readSbomFile = async (path: string, maxBytes: number, stdin: AsyncIterable<unknown>): Promise<Buffer> => {
  if (path === '-') return readBounded(stdin, maxBytes, 'stdin');
  let handle;
  try {
    handle = await open(path, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new AppError('validation_failed', `cannot read SBOM ${path}: it is a directory`);
    if (!stat.isFile()) return await readBounded(handle.createReadStream({ autoClose: false }), maxBytes, path);
    if (stat.size > maxBytes) throw tooLarge(path, maxBytes);
    // A regular file's size is known: one buffer of that size, not chunks copied into another.
    const bytes = await handle.readFile();
    if (bytes.byteLength > maxBytes) throw tooLarge(path, maxBytes);
    return bytes;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw fileError(path, error);
  } finally {
    await handle?.close();
  }
};

const readBounded = async (stream: AsyncIterable<unknown>, maxBytes: number, label: string): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += bytes.byteLength;
    if (size > maxBytes) throw tooLarge(label, maxBytes);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
};

const tooLarge = (label: string, maxBytes: number): AppError =>
  new AppError('payload_too_large', `SBOM ${label} is larger than the limit of ${maxBytes} bytes`, { limit: maxBytes });

const fileError = (path: string, error: unknown): AppError => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : error instanceof Error
            ? error.message
            : String(error);
  return new AppError(code === 'ENOENT' ? 'not_found' : 'validation_failed', `cannot read SBOM ${path}: ${reason}`, undefined, {
    cause: error,
  });
};
