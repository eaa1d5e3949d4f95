// The service's API as the dashboard calls it. The token is kept in sessionStorage (this tab
// only), sent as a bearer header and never put in a URL. GETs are conditional: each path's last
// ETag goes back in If-None-Match, so a poll whose answer is 304 reports "unchanged".

const TOKEN_KEY = 'patchcast.token';
const cache = new Map(); // path -> {etag, body}

// 401: no token, or one the service does not know.
export class AuthError extends Error {}
// fetch itself failed: the service is down or the network is.
export class UnreachableError extends Error {}
// Any other non-2xx answer; `status` and the service's error `code`.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() { return sessionStorage.getItem(TOKEN_KEY); }
export function setToken(value) { sessionStorage.setItem(TOKEN_KEY, value); }
export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  cache.clear();
}

function headersWith(extra) {
  const headers = { Accept: 'application/json', ...extra };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  return headers;
}

async function send(path, init) {
  try {
    // The browser's own HTTP cache is bypassed: the ETags here decide what is fresh.
    return await fetch(path, { ...init, cache: 'no-store', credentials: 'omit' });
  } catch (failure) {
    throw new UnreachableError(`${path}: ${failure.message}`);
  }
}

async function failure(response) {
  let code = 'unknown';
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    code = body.error.code;
    message = body.error.message;
  } catch (_) { /* not the service's error body: keep the status line */ }
  if (response.status === 401) return new AuthError(message);
  return new ApiError(response.status, code, message);
}

// GETs `path`. Returns {body, changed}: changed is false when the service answered 304 to the
// ETag of the last answer. With `missingOk`, a 404 answers {body: null}.
export async function get(path, { missingOk = false } = {}) {
  const cached = cache.get(path);
  const response = await send(path, {
    method: 'GET',
    headers: headersWith(cached?.etag ? { 'If-None-Match': cached.etag } : {}),
  });
  if (response.status === 304 && cached) {
    await response.text(); // empty; read so that the request ends as answered, not aborted
    return { body: cached.body, changed: false };
  }
  if (response.status === 404 && missingOk) {
    await response.text();
    const had = cache.get(path)?.body !== null;
    cache.set(path, { etag: '', body: null });
    return { body: null, changed: had };
  }
  if (!response.ok) throw await failure(response);
  const body = await response.json();
  cache.set(path, { etag: response.headers.get('ETag') || '', body });
  return { body, changed: true };
}

// POSTs `body` as JSON to `path`; returns the JSON answer.
export async function post(path, body) {
  const response = await send(path, {
    method: 'POST',
    headers: headersWith({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(body ?? {}),
  });
  if (!response.ok) throw await failure(response);
  return response.json();
}
