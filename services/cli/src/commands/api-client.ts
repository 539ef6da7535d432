import { AppError, errorCodes, type ErrorCode } from '@clearance/core';

type QueryValue = string | number | boolean | undefined;

export interface ApiRequestOptions {
  /** Query parameters; undefined values are left out. */
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (an uploaded file), instead of a JSON body. */
  rawBody?: Uint8Array;
  /** Extra request headers, e.g. `x-filename` for an upload. */
  headers?: Record<string, string>;
}

export interface ApiClient {
  readonly baseUrl: string;
  /** A JSON call: resolves with the parsed answer, throws an AppError carrying the server's code. */
  request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, options?: ApiRequestOptions): Promise<T>;
  /** A GET whose answer is not JSON (a report, an archive): the successful response, for the caller to read. */
  download(path: string, query?: Record<string, QueryValue>): Promise<Response>;
}

const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && (errorCodes as readonly string[]).includes(value);

/** Folds field problems (`{ path, message }`) into the message, so the user reads one line. */
const describeProblem = (message: string, details: unknown): string => {
  if (!Array.isArray(details)) return message;
  const parts = details.flatMap((detail: unknown) => {
    if (typeof detail !== 'object' || detail === null) return [];
    const { path, message: text } = detail as { path?: unknown; message?: unknown };
    if (typeof text !== 'string') return [];
    return [typeof path === 'string' && path !== '' ? `${path}: ${text}` : text];
  });
  return parts.length === 0 ? message : `${message}: ${parts.join('; ')}`;
};

const errorOf = (status: number, body: unknown): AppError => {
  const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
  if (typeof error === 'object' && error !== null) {
    const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
    // The status is kept in the text: people quote it when they ask for help, and scripts match on it.
    if (isErrorCode(code) && typeof message === 'string') return new AppError(code, `${describeProblem(message, details)} (HTTP ${status} ${code})`);
  }
  return new AppError(status >= 500 ? 'unavailable' : 'bad_request', `Clearance answered HTTP ${status} without an error body`);
};

const withQuery = (path: string, query: Record<string, QueryValue> | undefined): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
};

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: text === '' ? null : JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/**
 * The HTTP API as the CLI's user commands call it: `CLEARANCE_URL` (default
 * http://127.0.0.1:8080) with the bearer token `CLEARANCE_TOKEN`. Every
 * failure becomes an AppError with the server's code, so a command exits
 * with one line and the usual exit code.
 */
export function createApiClient(env: NodeJS.ProcessEnv = process.env): ApiClient {
  const baseUrl = (env.CLEARANCE_URL?.trim() || 'http://127.0.0.1:8080').replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(baseUrl)) throw new AppError('bad_request', `CLEARANCE_URL must be an http(s) URL, got "${baseUrl}"`);
  const token = env.CLEARANCE_TOKEN?.trim();

  const send = async (method: string, path: string, options: ApiRequestOptions): Promise<Response> => {
    if (!token) throw new AppError('unauthenticated', 'CLEARANCE_TOKEN is not set: ask an admin for an API token');
    const headers: Record<string, string> = { ...options.headers, authorization: `Bearer ${token}` };
    if (options.rawBody !== undefined) headers['content-type'] = 'application/octet-stream';
    else if (options.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${baseUrl}${withQuery(path, options.query)}`, {
        method,
        headers,
        body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new AppError('unavailable', `cannot reach Clearance at ${baseUrl} (${cause}); check CLEARANCE_URL`);
    }
  };

  return {
    baseUrl,
    async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, options: ApiRequestOptions = {}): Promise<T> {
      const response = await send(method, path, options);
      const parsed = parseJson(await response.text());
      if (!parsed.ok) throw new AppError('unavailable', `Clearance at ${baseUrl} answered HTTP ${response.status} with something that is not JSON`);
      if (!response.ok) throw errorOf(response.status, parsed.value);
      return parsed.value as T;
    },
    async download(path: string, query?: Record<string, QueryValue>): Promise<Response> {
      const response = await send('GET', path, { query });
      if (response.ok) return response;
      const parsed = parseJson(await response.text());
      throw errorOf(response.status, parsed.ok ? parsed.value : null);
    },
  };
}
