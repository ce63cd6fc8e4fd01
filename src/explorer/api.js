// The explorer's HTTP client: the token, the API's base, and URLs of the answers turned into requests.

const tokenKey = 'adhocracy-explorer-token';
const userKey = 'adhocracy-explorer-user';

/** The API answers at the origin and path the explorer was loaded from, one level up from /explorer/. */
const apiBase = new URL('..', window.location.href);

/** The public URL of the root as the API writes it (PUBLIC_URL may differ from where the page runs). */
let publicRoot = apiBase.href;

/** An answer that is not a success, with the envelope's errors. */
export class ApiError extends Error {
  constructor(status, body) {
    super(`${status}: ${(body?.errors ?? []).map((error) => error.description).join('; ') || 'request failed'}`);
    this.status = status;
    this.errors = Array.isArray(body?.errors) ? body.errors : [];
  }
}

export function readSession() {
  const token = sessionStorage.getItem(tokenKey);
  const user = sessionStorage.getItem(userKey);
  return token ? { token, user } : undefined;
}

function keepSession(token, user) {
  if (token) {
    sessionStorage.setItem(tokenKey, token);
    sessionStorage.setItem(userKey, user);
  } else {
    sessionStorage.removeItem(tokenKey);
    sessionStorage.removeItem(userKey);
  }
}

/** The path below the root that a URL of an answer (or a path typed in) names, with a trailing slash. */
export function toTreePath(url) {
  const text = url.startsWith(publicRoot) ? url.slice(publicRoot.length - 1) : new URL(url, apiBase).pathname.slice(apiBase.pathname.length - 1);
  return text.endsWith('/') ? text : `${text}/`;
}

/** Sends a request to a tree path (`/park/`) or a view (`/login_username`); answers the JSON body or throws ApiError. */
export async function request(method, treePath, { body, headers = {} } = {}) {
  const session = readSession();
  const sent = { ...headers };
  if (session) sent['X-User-Token'] = session.token;
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  const response = await fetch(new URL(treePath.replace(/^\//, ''), apiBase), {
    method,
    headers: sent,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  // A dead token is an error on every request: forget it, so that the next one is anonymous.
  if (response.status === 400 && answer.errors?.some((error) => error.name === 'X-User-Token')) keepSession(undefined);
  if (!response.ok) throw new ApiError(response.status, answer);
  return answer;
}

/** Learns how the API writes its own URLs, from the root's `path`. */
export async function learnPublicRoot() {
  const root = await request('GET', '/');
  publicRoot = root.path;
  return root;
}

export async function logIn(login, password) {
  const byEmail = login.includes('@');
  const answer = await request('POST', byEmail ? '/login_email' : '/login_username', {
    body: byEmail ? { email: login, password } : { name: login, password },
  });
  keepSession(answer.user_token, answer.user_path);
  return answer;
}

export async function logOut() {
  try {
    await request('POST', '/logout', { body: {} });
  } finally {
    keepSession(undefined);
  }
}
