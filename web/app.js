import { api, ApiError, refresh } from './api.js';
import { field, form, h } from './dom.js';
import { passkeySection, passkeySignInButton, startConditionalSignIn } from './passkeys.js';
import { secondStepView, twoFactorSection } from './two-factor.js';
import { adminView } from './admin.js';

const $ = (id) => document.getElementById(id);
let config = { appTitle: 'Gatehouse' };

const FAILURE_MESSAGES = {
  banned: 'Your account has been temporarily banned due to violations of our service.',
  disabled: 'This account has been disabled. Contact your administrator.',
  provider_unavailable: 'The sign-in provider cannot be reached right now. Please try again in a moment.',
  configuration: 'Sign-in with that provider is not set up correctly. Please tell the administrator.',
  auth_failed: 'Sign-in with that provider did not succeed. Please try again or use another way to sign in.',
};

function setMessage(kind, text) {
  $('notice').textContent = kind === 'notice' ? text || '' : '';
  $('error').textContent = kind === 'error' ? text || '' : '';
}

function describe(error) {
  if (error instanceof ApiError) {
    if (error.code === 'BANNED' && error.body.expiresAt) {
      return `${error.message} (until ${new Date(error.body.expiresAt).toLocaleString()})`;
    }
    return error.message;
  }
  return 'The service cannot be reached. Please try again.';
}

function show(title, ...content) {
  document.title = `${title} · ${config.appTitle}`;
  $('title').textContent = title;
  $('app').classList.remove('wide');
  $('view').replaceChildren(...content);
  $('app').setAttribute('aria-busy', 'false');
  const first = $('view').querySelector('input, button, a');
  if (first) first.focus();
}

/** Navigates; the promise settles once the new view is drawn. */
function go(path) {
  history.pushState(null, '', path);
  setMessage('notice', '');
  return route();
}

function link(path, text) {
  return h(
    'a',
    {
      href: path,
      onClick: (e) => {
        e.preventDefault();
        go(path);
      },
    },
    text,
  );
}

function providerButtons() {
  const server = config.serverDomain || '';
  // Every registered sign-in (built-in, named OpenID providers, extensions), in SOCIAL_LOGINS
  // order first, then the rest in registration order.
  const listed = Array.isArray(config.loginProviders) ? config.loginProviders : [];
  const byName = new Map(listed.map((p) => [p.name, p]));
  const order = [...(config.socialLogins || []).filter((n) => byName.has(n) || config[`${n}LoginEnabled`]), ...listed.map((p) => p.name)];
  const seen = new Set();
  const buttons = [];
  for (const name of order) {
    if (seen.has(name)) continue;
    seen.add(name);
    const provider = byName.get(name);
    if (!provider && !config[`${name}LoginEnabled`]) continue;
    const label = name === 'openid' ? config.openidLabel || provider?.label || 'OpenID' : provider?.label || `${name[0].toUpperCase()}${name.slice(1)}`;
    const iconUrl = name === 'openid' ? config.openidImageUrl : provider?.iconUrl;
    const text = /^(continue|sign in|log in)\b/i.test(label) ? label : `Continue with ${label}`;
    const path = provider?.loginPath || `/oauth/${encodeURIComponent(name)}`;
    buttons.push(
      h('a', { class: 'button secondary', href: `${server}${path}`, 'data-provider': name }, iconUrl ? h('img', { src: iconUrl, alt: '' }) : null, text),
    );
  }
  return buttons;
}

function loginView(params) {
  const parts = [];
  if (config.emailLoginEnabled !== false) {
    // With LDAP_LOGIN_USES_USERNAME the directory is searched by username; the request field stays `email` (as in LibreChat).
    const byUsername = config.ldap && config.ldap.enabled && config.ldap.username;
    const login = byUsername
      ? field('Username', 'email', 'text', { autocomplete: 'username' })
      : field('Email', 'email', 'email', { autocomplete: 'username webauthn' });
    parts.push(
      form([...login, ...field('Password', 'password', 'password', { autocomplete: 'current-password' })], 'Sign in', async ({ email, password }) => {
        try {
          setMessage('error', '');
          const result = await api.login(email, password);
          if (result && result.twoFAPending) return secondStepView(ui, result.tempToken);
          go('/');
        } catch (error) {
          setMessage('error', describe(error));
        }
      }),
    );
  }
  const passkey = passkeySignInButton(ui);
  if (passkey) parts.push(passkey);
  const providers = config.socialLoginEnabled === false ? [] : providerButtons();
  if (providers.length) parts.push(h('p', { class: 'divider' }, parts.length ? 'or' : ''), ...providers);
  const links = [];
  if (config.passwordResetEnabled) links.push(link('/forgot-password', 'Forgot password?'));
  if (config.registrationEnabled) links.push(link('/register', 'Create an account'));
  parts.push(h('nav', { class: 'links', 'aria-label': 'Account' }, links));
  const failure = params.get('error');
  if (failure) setMessage('error', FAILURE_MESSAGES[params.get('reason')] || FAILURE_MESSAGES[failure] || 'Sign-in did not succeed. Please try again.');
  show(`Sign in to ${config.appTitle}`, ...parts);
  // Passkeys in the email field's autofill; ends by itself when the view changes.
  startConditionalSignIn(ui);
  // An OpenID-only deployment may send users straight on, unless they just came back from a failure.
  if (config.openidAutoRedirect && config.openidLoginEnabled && params.get('redirect') !== 'false' && !failure) {
    location.assign(`${config.serverDomain || ''}/oauth/openid`);
  }
}

function registerView() {
  const min = config.minPasswordLength || 8;
  show(
    'Create an account',
    form(
      [
        ...field('Name', 'name', 'text', { autocomplete: 'name' }),
        ...field('Email', 'email', 'email', { autocomplete: 'email' }),
        ...field(`Password (at least ${min} characters)`, 'password', 'password', { autocomplete: 'new-password', minlength: min }),
        ...field('Confirm password', 'confirm_password', 'password', { autocomplete: 'new-password', minlength: min }),
      ],
      'Create account',
      async (values) => {
        try {
          setMessage('error', '');
          const token = new URLSearchParams(location.search).get('token');
          const res = await api.register(token ? { ...values, token } : values);
          history.pushState(null, '', '/login');
          loginView(new URLSearchParams());
          setMessage('notice', res.message);
        } catch (error) {
          setMessage('error', describe(error));
        }
      },
    ),
    h('nav', { class: 'links' }, link('/login', 'Back to sign in')),
  );
}

function forgotView() {
  show(
    'Reset your password',
    form([...field('Email', 'email', 'email', { autocomplete: 'email' })], 'Send reset link', async ({ email }) => {
      try {
        setMessage('error', '');
        const res = await api.requestPasswordReset(email);
        setMessage('notice', res.message);
      } catch (error) {
        setMessage('error', describe(error));
      }
    }),
    h('nav', { class: 'links' }, link('/login', 'Back to sign in')),
  );
}

function resetView(params) {
  const min = config.minPasswordLength || 8;
  show(
    'Choose a new password',
    form(
      [
        ...field(`New password (at least ${min} characters)`, 'password', 'password', { autocomplete: 'new-password', minlength: min }),
        ...field('Confirm new password', 'confirm_password', 'password', { autocomplete: 'new-password', minlength: min }),
      ],
      'Set password',
      async (values) => {
        try {
          setMessage('error', '');
          const res = await api.resetPassword({ ...values, userId: params.get('userId'), token: params.get('token') });
          history.pushState(null, '', '/login');
          loginView(new URLSearchParams());
          setMessage('notice', res.message || 'Your password has been changed. Please sign in.');
        } catch (error) {
          setMessage('error', describe(error));
        }
      },
    ),
    h('nav', { class: 'links' }, link('/login', 'Back to sign in')),
  );
}

async function verifyView(params) {
  show('Verifying your email', h('p', {}, 'One moment…'));
  try {
    const res = await api.verifyEmail(params.get('email') || '', params.get('token') || '');
    show('Email verified', h('p', {}, res.message), h('nav', { class: 'links' }, link('/login', 'Sign in')));
  } catch (error) {
    show('Email not verified', h('nav', { class: 'links' }, link('/login', 'Back to sign in')));
    setMessage('error', describe(error));
  }
}

async function homeView(user) {
  const sessions = await api.sessions().catch(() => []);
  const list = h(
    'ul',
    { class: 'sessions', 'aria-label': 'Active sessions' },
    sessions.map((s) =>
      h(
        'li',
        {},
        h(
          'span',
          {},
          s.current ? 'This device' : s.userAgent || 'Unknown device',
          h('br'),
          h('span', { class: 'muted' }, `since ${new Date(s.createdAt).toLocaleString()}${s.ip ? ` · ${s.ip}` : ''}`),
        ),
        s.current
          ? null
          : h(
              'button',
              {
                class: 'small secondary',
                type: 'button',
                'aria-label': `Revoke session since ${new Date(s.createdAt).toLocaleString()}`,
                onClick: async () => {
                  try {
                    await api.revokeSession(s.id);
                    route();
                  } catch (error) {
                    setMessage('error', describe(error));
                  }
                },
              },
              'Revoke',
            ),
      ),
    ),
  );
  show(
    `Signed in`,
    h(
      'dl',
      {},
      h('dt', {}, 'Name'),
      h('dd', { 'data-field': 'name' }, user.name || '—'),
      h('dt', {}, 'Email'),
      h('dd', { 'data-field': 'email' }, user.email),
      h('dt', {}, 'Role'),
      h('dd', {}, user.role || 'USER'),
    ),
    user.role === 'ADMIN' ? h('nav', { class: 'links' }, link('/admin', 'Administration')) : null,
    twoFactorSection(ui, user),
    await passkeySection(ui),
    h('h2', {}, 'Sessions'),
    list,
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onClick: async () => {
          await api.logout().catch(() => undefined);
          go('/login');
          setMessage('notice', 'You are signed out.');
        },
      },
      'Sign out',
    ),
  );
}

/** What the second-factor views need from the page. */
const ui = { show, setMessage, describe, go, link };

async function route() {
  const params = new URLSearchParams(location.search);
  const path = location.pathname.replace(/\/+$/, '') || '/';
  try {
    if (path === '/register') return registerView();
    if (path === '/forgot-password') return forgotView();
    if (path === '/reset-password') return resetView(params);
    if (path === '/verify') return verifyView(params);
    const user = await refresh();
    if (user && path === '/admin') return await adminView(ui, await api.user());
    if (user && path !== '/login') return await homeView(await api.user());
    if (user && path === '/login' && !params.get('error')) return go('/');
    return loginView(params);
  } catch (error) {
    loginView(new URLSearchParams());
    setMessage('error', describe(error));
  }
}

window.addEventListener('popstate', route);
api
  .config()
  .then((c) => {
    config = c;
  })
  .catch(() => undefined)
  .finally(route);
