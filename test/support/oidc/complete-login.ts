import { CookieJar } from '../http/cookie-jar';

export interface CompleteLoginOptions {
  /** accountId to sign in as. */
  login: string;
  /** Default 'password' (the harness default). */
  password?: string;
  /** OP cookies. Reuse one jar across calls to exercise an existing OP session. */
  jar?: CookieJar;
  /** false: decline at the consent prompt (the client then receives error=access_denied). Default true. */
  consent?: boolean;
  /** Upper bound on requests, against redirect loops. Default 12. */
  maxSteps?: number;
}

/**
 * Plays the end-user in a browser against the harness OP (devInteractions): follows the
 * OP's redirects, submits login and consent forms, and stops at the first redirect that
 * leaves the OP for the client's redirect_uri — which is returned, not followed. When the
 * OP already has a session and grant it redirects straight back without any form.
 */
export async function completeLogin(authorizationUrl: string | URL, options: CompleteLoginOptions): Promise<URL> {
  const { login, password = 'password', jar = new CookieJar(), consent = true, maxSteps = 12 } = options;
  const start = new URL(authorizationUrl);
  const isClientRedirect = clientRedirectMatcher(start);

  let url = start.href;
  let form: Record<string, string> | undefined;
  for (let step = 0; step < maxSteps; step++) {
    const response = await send(jar, url, form);
    form = undefined;
    const location = response.headers.get('location');
    if (location && response.status >= 300 && response.status < 400) {
      await response.arrayBuffer();
      const target = new URL(location, url);
      if (isClientRedirect(target)) return target;
      url = target.href;
      continue;
    }

    const html = await response.text();
    if (response.status === 401) throw new Error(`OpenID Provider rejected login "${login}": ${strip(html)}`);
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !prompt || !action) {
      throw new Error(`Unexpected ${response.status} from ${url} during login: ${strip(html)}`);
    }
    const submitUrl = new URL(action.replace(/&amp;/g, '&'), url).href;
    if (prompt === 'login') {
      form = { prompt, login, password };
      url = submitUrl;
    } else if (prompt === 'consent' && consent) {
      form = { prompt };
      url = submitUrl;
    } else if (prompt === 'consent') {
      url = `${submitUrl}/abort`;
    } else {
      throw new Error(`Unsupported interaction prompt "${prompt}" at ${url}`);
    }
  }
  throw new Error(`completeLogin gave up after ${maxSteps} requests (last: ${url})`);
}

/**
 * RP-initiated logout as a browser would do it: GET the end_session URL with the OP's
 * cookies, submit the confirmation form (devInteractions' page carries an xsrf token),
 * and return the redirect that follows — post_logout_redirect_uri (with state) when one
 * was given and accepted, otherwise the OP's own /session/end/success page.
 */
export async function completeLogout(endSessionUrl: string | URL, options: { jar: CookieJar; confirm?: boolean }): Promise<URL> {
  const { jar, confirm = true } = options;
  const url = new URL(endSessionUrl).href;
  const page = await send(jar, url);
  const pageLocation = page.headers.get('location');
  if (pageLocation) {
    await page.arrayBuffer();
    return new URL(pageLocation, url);
  }
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !action) throw new Error(`Unexpected ${page.status} from ${url}: ${strip(html)}`);
  const form: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) form[name] = value;
  if (confirm) form.logout = 'yes';
  const confirmUrl = new URL(action.replace(/&amp;/g, '&'), url).href;
  const response = await send(jar, confirmUrl, form);
  const location = response.headers.get('location');
  const body = await response.text();
  if (!location) throw new Error(`Logout confirmation answered ${response.status} without redirect: ${strip(body)}`);
  return new URL(location, confirmUrl);
}

function clientRedirectMatcher(authorizationUrl: URL): (target: URL) => boolean {
  const redirectUri = authorizationUrl.searchParams.get('redirect_uri');
  if (!redirectUri) return (target) => target.origin !== authorizationUrl.origin;
  const expected = new URL(redirectUri);
  return (target) => target.origin === expected.origin && target.pathname === expected.pathname;
}

async function send(jar: CookieJar, url: string, form?: Record<string, string>): Promise<Response> {
  const { pathname, search } = new URL(url);
  const headers: Record<string, string> = {};
  const cookie = jar.header(pathname);
  if (cookie) headers.cookie = cookie;
  if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET',
    headers,
    body: form ? new URLSearchParams(form).toString() : undefined,
    redirect: 'manual',
  });
  for (const raw of response.headers.getSetCookie()) jar.store(raw, pathname + search);
  return response;
}

function strip(html: string): string {
  return html
    .replace(/<(style|script)[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}
