/**
 * POSTs a JSON body; resolves on a 2xx, throws otherwise. Errors name the
 * channel, never the URL: webhook URLs carry their token in the path.
 */
export async function postJson(url: string, body: string, options: { what: string; headers?: Record<string, string>; timeoutMs?: number }): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      redirect: 'error',
    });
  } catch (error) {
    throw new Error(`${options.what} did not answer (${error instanceof Error ? error.name : 'error'})`);
  }
  await response.body?.cancel();
  if (!response.ok) throw new Error(`${options.what} answered ${response.status}`);
}
