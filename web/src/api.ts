// The REST client of the console: signs in with Basic once, then rides on
// the JSESSIONID cookie and sends the CSRF token on every write. Every
// request carries X-Requested-With: XMLHttpRequest, so a 401 never carries
// WWW-Authenticate: Basic (no browser password dialog, no Basic credentials
// cached by the browser). Errors become ApiError with the server's
// statusMessage, shown as is.

export class ApiError extends Error {
  constructor(public readonly httpStatus: number, public readonly statusCode: number, message: string) {
    super(message);
  }
}

export interface Me {
  id: string;
  userName: string;
  firstName?: string;
  lastName?: string;
  roles?: string[];
  [key: string]: unknown;
}

export type Json = Record<string, any>;

export class Api {
  private csrf: string | null = null;

  constructor(private readonly base = '/api/v2') {}

  // GET /me with Basic credentials: opens the HTTP session (cookie) and
  // gives the CSRF token. The credentials are checked first by a request
  // that carries no cookies: a refusal (401) on it never makes the browser
  // open its own password dialog, so the page shows the statusMessage
  // instead.
  async signIn(userName: string, password: string): Promise<Me> {
    const auth = { Authorization: 'Basic ' + btoa(unescape(encodeURIComponent(`${userName}:${password}`))) };
    await this.raw('GET', '/me', undefined, auth, 'omit');
    const r = await this.raw('GET', '/me', undefined, auth);
    return r.user as Me;
  }

  // GET /me on the cookie alone (a page reload keeps the session).
  async resume(): Promise<Me> {
    const r = await this.raw('GET', '/me');
    return r.user as Me;
  }

  get(path: string): Promise<Json> {
    return this.raw('GET', path);
  }

  post(path: string, body: Json): Promise<Json> {
    return this.raw('POST', path, body);
  }

  private async raw(
    method: string,
    path: string,
    body?: Json,
    headers: Record<string, string> = {},
    credentials: RequestCredentials = 'same-origin',
  ): Promise<Json> {
    const h: Record<string, string> = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest', ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.csrf) h['X-CSRF-TOKEN'] = this.csrf;
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: h,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials,
      });
    } catch {
      throw new ApiError(0, -1, 'The server cannot be reached. Check the connection and try again.');
    }
    const token = res.headers.get('X-CSRF-TOKEN');
    if (token && credentials !== 'omit') this.csrf = token;
    let json: Json = {};
    try {
      json = await res.json();
    } catch {
      /* not JSON */
    }
    if (!res.ok || (typeof json.statusCode === 'number' && json.statusCode !== 0 && json.statusCode !== 7)) {
      const message = typeof json.statusMessage === 'string' ? json.statusMessage : `HTTP ${res.status}`;
      throw new ApiError(res.status, typeof json.statusCode === 'number' ? json.statusCode : -1, message);
    }
    return json;
  }
}

// The interaction collections the console shows, with their reply keys.
export const FAMILIES = [
  { media: 'workitem', route: 'workitems', key: 'workitems' },
  { media: 'email', route: 'emails', key: 'emails' },
  { media: 'chat', route: 'chats', key: 'chats' },
] as const;

export function routeOfMedia(mediaType: string | undefined): string {
  return FAMILIES.find((f) => f.media === mediaType)?.route ?? 'workitems';
}
