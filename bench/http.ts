// Plain HTTP calls for setting the servers up before any load starts; a failed setup stops the benchmark.
export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

export async function callJson(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; timeoutSeconds?: number } = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout((options.timeoutSeconds ?? 30) * 1000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the error message.
  }
  return { status: response.status, body, headers: response.headers };
}

/** Like callJson, but anything but 2xx is an error naming the call and quoting the answer. */
export async function expectOk(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const answer = await callJson(method, url, options);
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${method} ${url} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
  }
  return answer;
}

/** Reads a string field of a JSON answer, or fails saying which. */
export function readField(answer: Answer, field: string): string {
  const value = (answer.body as Record<string, unknown> | null)?.[field];
  if (typeof value !== 'string') throw new Error(`the answer has no ${field}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  return value;
}
