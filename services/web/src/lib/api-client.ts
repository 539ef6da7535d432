import { csrfToken, storedToken } from './session.js';

/** One field problem as the API reports it in `error.details` of a 422. */
export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

/** The API's error body, `{ error: { code, message, details? } }`, as an exception. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** Field problems when the API sent them (validation_failed), else none. */
  get fieldIssues(): FieldIssue[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (entry): entry is FieldIssue =>
        typeof entry === 'object' && entry !== null && typeof (entry as FieldIssue).path === 'string' && typeof (entry as FieldIssue).message === 'string',
    );
  }

  /** Plain-text problems (e.g. a waiver's policy limits), when details is a list of strings. */
  get textIssues(): string[] {
    return Array.isArray(this.details) ? this.details.filter((entry): entry is string => typeof entry === 'string') : [];
  }
}

type UnauthorizedListener = (error: ApiError) => void;
let onUnauthorized: UnauthorizedListener = () => undefined;

/** The app signs out when the token stops working (revoked, or a wrong one). */
export const whenUnauthorized = (listener: UnauthorizedListener): void => {
  onUnauthorized = listener;
};

/** A pasted token as Bearer; else the session cookie goes by itself and the CSRF token beside it. */
export const authHeaders = (token = storedToken()): Record<string, string> => {
  if (token) return { authorization: `Bearer ${token}` };
  const csrf = csrfToken();
  return csrf ? { 'x-csrf-token': csrf } : {};
};

export async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON (a proxy's page): the status says enough
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  return new ApiError(
    response.status,
    typeof error?.code === 'string' ? error.code : 'http_error',
    typeof error?.message === 'string' ? error.message : `the server answered ${response.status} ${response.statusText}`,
    error?.details,
  );
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Use this token instead of the stored one (signing in). */
  token?: string;
  /** Only asking whether someone is signed in: a 401 is an answer, not a reason to sign out. */
  probe?: boolean;
}

/** Calls the API with the signed-in token; resolves with the JSON body or throws ApiError. */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(options.token ?? storedToken()) };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(path, { method, headers, body, signal: options.signal, credentials: 'same-origin' });
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && options.token === undefined && !options.probe) onUnauthorized(error);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Builds a query string from the set values only. */
export const query = (params: Record<string, string | number | null | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

export const describeError = (error: unknown): string =>
  error instanceof ApiError ? error.message : error instanceof Error ? error.message : 'something went wrong';
