/**
 * A small HTTP client over real sockets (fetch) that keeps cookies like a browser and
 * sends the CSRF token it last saw, so tests exercise the same path a browser takes.
 */
export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  contentType: string;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Do not send the remembered CSRF token. */
  noCsrf?: boolean;
}

export class HttpClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(readonly baseUrl: string, private readonly defaultHeaders: Record<string, string> = {}) {}

  get<T = any>(path: string, options: RequestOptions = {}) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T = any>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('PUT', path, { ...options, body });
  }
  patch<T = any>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = any>(path: string, options: RequestOptions = {}) {
    return this.request<T>('DELETE', path, options);
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.defaultHeaders, ...options.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.csrfToken && !options.noCsrf && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=thu, 01 jan 1970/i.test(a.trim())) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const contentType = res.headers.get('content-type') ?? '';
    const text = await res.text();
    let parsed: any = text;
    if (contentType.includes('json') && text) parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object') {
      const token = parsed.csrfToken ?? parsed.session?.csrfToken;
      if (typeof token === 'string') this.csrfToken = token;
    }
    return { status: res.status, headers: res.headers, body: parsed as T, contentType };
  }
}
