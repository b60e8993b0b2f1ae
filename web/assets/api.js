// How the UI talks to hop: only the public /api/v1, with the signed-in API key on every call.
//
// Errors come back as ApiError, carrying the problem+json `code` and `detail` so that forms can put
// them next to the field they concern. A 401 also fires "hop:unauthorized" on window, and app.js
// returns to the sign-in page: the key was revoked, or never valid.

const KEY_STORAGE = 'hop.apiKey';

export const apiKey = {
  get: () => localStorage.getItem(KEY_STORAGE),
  set: (key) => localStorage.setItem(KEY_STORAGE, key),
  clear: () => localStorage.removeItem(KEY_STORAGE),
};

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.status = status;  // HTTP status; 0 when the server could not be reached
    this.code = code;      // the problem's stable code: "invalid_url", "alias_taken", ...
    this.detail = detail;  // the server's sentence for a person
  }
}

async function send(method, path, body, accept) {
  const headers = { Accept: accept, Authorization: `Bearer ${apiKey.get() ?? ''}` };
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', 'The hop server cannot be reached. Check that it is running.');
  }
  if (response.ok) return response;
  if (response.status === 401) window.dispatchEvent(new Event('hop:unauthorized'));
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // Not problem+json (a proxy's error page, say): the status alone must do.
  }
  throw new ApiError(response.status, problem.code ?? `http_${response.status}`,
                     problem.detail || problem.title || `The server answered ${response.status}.`);
}

// The JSON body of the answer, or null for 204.
export async function api(method, path, body) {
  const response = await send(method, path, body, 'application/json');
  return response.status === 204 ? null : response.json();
}

export async function apiBlob(path) {
  return (await send('GET', path, undefined, '*/*')).blob();
}

export const linkPath = (code) => `/api/v1/links/${encodeURIComponent(code)}`;
