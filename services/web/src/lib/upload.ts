import { ApiError, authHeaders } from './api-client.js';

/**
 * fetch() cannot report upload progress, XMLHttpRequest can: SBOMs run to
 * tens of megabytes, so people see the bytes go. The file is the raw body
 * (the API detects the format from the bytes).
 */
export function uploadWithProgress<T>(path: string, file: File, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('x-filename', file.name);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.addEventListener('progress', (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size));
    xhr.addEventListener('load', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        // not JSON: reported by status below
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(file.size, file.size);
        resolve(body as T);
        return;
      }
      const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
      reject(new ApiError(xhr.status, error?.code ?? 'http_error', error?.message ?? `the server answered ${xhr.status}`, error?.details));
    });
    xhr.addEventListener('error', () => reject(new Error('the upload failed: the connection to the server was lost')));
    xhr.addEventListener('abort', () => reject(new Error('the upload was cancelled')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
