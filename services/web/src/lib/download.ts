import { authHeaders, errorFrom } from './api-client.js';

/**
 * Authenticated downloads: a link cannot carry the Bearer header, so the
 * file is fetched and handed to the browser as a blob. Returns its size.
 */
export async function downloadFile(path: string, fallbackName: string, signal?: AbortSignal): Promise<number> {
  const response = await fetch(path, { headers: authHeaders(), signal });
  if (!response.ok) throw await errorFrom(response);
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the blob by now; keep it a moment for slow browsers.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return blob.size;
}

/**
 * Opens an HTML document from the API (the due-diligence report) in a new
 * tab. As a blob it is same-origin and keeps this page's CSP, so the
 * report, which has no scripts, cannot run any either.
 */
export async function openHtml(path: string, signal?: AbortSignal): Promise<void> {
  const target = window.open('', '_blank');
  try {
    const response = await fetch(path, { headers: authHeaders(), signal });
    if (!response.ok) throw await errorFrom(response);
    const blob = new Blob([await response.arrayBuffer()], { type: 'text/html' });
    const url = URL.createObjectURL(blob);
    if (target) target.location.href = url;
    else window.location.assign(url);
  } catch (error) {
    target?.close();
    throw error;
  }
}
