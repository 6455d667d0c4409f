// The administrator's view (ADMIN users): accounts with their actions, a user's sessions and
// recent events, bans, and the audit log. Built on the public admin API like any client.
import { ApiError, adminApi } from './api.js';
import { h } from './dom.js';

const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

function section(title, ...content) {
  return h('section', { class: 'admin', 'aria-label': title }, h('h2', {}, title), ...content);
}

function button(label, onClick, extra = {}) {
  return h('button', { type: 'button', class: 'small secondary', onClick, ...extra }, label);
}

/** Runs an action, reports its outcome, then redraws the panel that changed. */
function act(ui, action, done) {
  return async () => {
    try {
      ui.setMessage('error', '');
      const result = await action();
      if (result && result.message) ui.setMessage('notice', result.message);
      await done();
    } catch (error) {
      ui.setMessage('error', ui.describe(error));
    }
  };
}

function usersSection(ui, me, detail) {
  const rows = h('tbody');
  const more = button('More', () => undefined, { hidden: true });
  let search = '';
  let next = null;
  async function load(append) {
    const page = await adminApi.users(search, append ? next : undefined);
    next = page.next;
    more.hidden = !next;
    const drawn = page.users.map((user) => userRow(user));
    if (append) rows.append(...drawn);
    else rows.replaceChildren(...drawn);
  }
  function userRow(user) {
    const refresh = () => load(false);
    const self = user.id === me.id;
    return h(
      'tr',
      { 'data-user': user.email },
      h('td', {}, user.email, h('br'), h('span', { class: 'muted' }, [user.name, user.role, user.disabled ? 'disabled' : null].filter(Boolean).join(' · '))),
      h(
        'td',
        { class: 'actions' },
        button('Details', () => detail(user), { 'aria-label': `Details of ${user.email}` }),
        button(
          'Revoke sessions',
          act(ui, () => adminApi.revokeSessions(user.id), refresh),
          { 'aria-label': `Revoke sessions of ${user.email}` },
        ),
        self
          ? null
          : user.disabled
            ? button(
                'Enable',
                act(ui, () => adminApi.enable(user.id), refresh),
                { 'aria-label': `Enable ${user.email}` },
              )
            : button(
                'Disable',
                act(ui, () => adminApi.disable(user.id), refresh),
                { 'aria-label': `Disable ${user.email}` },
              ),
        user.twoFactorEnabled
          ? button(
              'Reset 2FA',
              act(ui, () => adminApi.resetTwoFactor(user.id), refresh),
              { 'aria-label': `Reset 2FA of ${user.email}` },
            )
          : null,
        self
          ? null
          : button(
              'Delete',
              act(ui, () => (confirm(`Delete ${user.email} and everything it owns?`) ? adminApi.remove(user.id) : null), refresh),
              { 'aria-label': `Delete ${user.email}` },
            ),
      ),
    );
  }
  more.addEventListener(
    'click',
    act(
      ui,
      () => load(true),
      async () => undefined,
    ),
  );
  const input = h('input', { type: 'search', name: 'search', 'aria-label': 'Search users', placeholder: 'Email, name or username' });
  const form = h('form', { class: 'inline', role: 'search' }, input, h('button', { type: 'submit', class: 'small' }, 'Search'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search = input.value.trim();
    act(
      ui,
      () => load(false),
      async () => undefined,
    )();
  });
  return { element: section('Users', form, h('table', { 'aria-label': 'Users' }, rows), more), load: () => load(false) };
}

function eventList(events) {
  return h(
    'ul',
    { class: 'events' },
    events.map((e) =>
      h(
        'li',
        {},
        h('strong', {}, e.type),
        ' ',
        h('span', { class: 'muted' }, [when(e.at), e.provider || e.method, e.reason, e.ip].filter(Boolean).join(' · ')),
      ),
    ),
  );
}

/** Audit answers 404 on a server without the audit trail: say so instead of failing the page. */
async function auditOrNote(filters) {
  try {
    return await adminApi.audit(filters);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { events: null, next: null };
    throw error;
  }
}

function detailSection(ui) {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Choose a user to see their sessions and recent events.'));
  async function showUser(user) {
    const [sessions, audit] = await Promise.all([adminApi.sessions(user.id), auditOrNote({ userId: user.id })]);
    body.replaceChildren(
      h('p', {}, h('strong', {}, user.email), ` · ${user.role}${user.disabled ? ' · disabled' : ''}${user.twoFactorEnabled ? ' · 2FA' : ''}`),
      h('h3', {}, 'Sessions'),
      sessions.length
        ? h(
            'ul',
            { class: 'sessions', 'aria-label': `Sessions of ${user.email}` },
            sessions.map((s) => h('li', {}, `${s.userAgent || 'Unknown device'} · since ${when(s.createdAt)}${s.ip ? ` · ${s.ip}` : ''}`)),
          )
        : h('p', { class: 'muted', 'data-empty': 'sessions' }, 'No active sessions.'),
      h('h3', {}, 'Recent events'),
      audit.events ? eventList(audit.events) : h('p', { class: 'muted' }, 'The audit trail is not available on this server.'),
    );
  }
  return {
    element: section('User details', body),
    show: (user) =>
      act(
        ui,
        () => showUser(user),
        async () => undefined,
      )(),
  };
}

function bansSection(ui) {
  const list = h('ul', { class: 'sessions', 'aria-label': 'Bans' });
  async function load() {
    const bans = await adminApi.bans();
    list.replaceChildren(
      ...(bans.length
        ? bans.map((ban) =>
            h(
              'li',
              { 'data-ban': ban.key },
              h(
                'span',
                {},
                ban.key,
                h('br'),
                h('span', { class: 'muted' }, `${ban.type}${ban.reason ? ` · ${ban.reason}` : ''} · until ${when(ban.expiresAt)}`),
              ),
              button(
                'Lift',
                act(ui, () => adminApi.lift(ban.key), load),
                { 'aria-label': `Lift ban ${ban.key}` },
              ),
            ),
          )
        : [h('li', { class: 'muted' }, 'No active bans.')]),
    );
  }
  const ip = h('input', { name: 'ip', 'aria-label': 'Address to ban', placeholder: 'IP address' });
  const duration = h('input', { name: 'duration', 'aria-label': 'Ban duration', placeholder: '2h', value: '1h' });
  const form = h('form', { class: 'inline', 'aria-label': 'Ban an address' }, ip, duration, h('button', { type: 'submit', class: 'small' }, 'Ban address'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act(
      ui,
      async () => {
        await adminApi.ban(ip.value.trim(), duration.value.trim());
        ip.value = '';
        return { message: 'Address banned' };
      },
      load,
    )();
  });
  return { element: section('Bans', form, list), load };
}

function auditSection(ui) {
  const list = h('div');
  const more = button('More events', () => undefined, { hidden: true });
  const fields = {
    type: h('input', { name: 'type', 'aria-label': 'Event type', placeholder: 'type, e.g. sign_in.failed' }),
    userId: h('input', { name: 'userId', 'aria-label': 'User id', placeholder: 'user id' }),
    from: h('input', { name: 'from', type: 'datetime-local', 'aria-label': 'From' }),
    to: h('input', { name: 'to', type: 'datetime-local', 'aria-label': 'To' }),
  };
  let next = null;
  const filters = () => ({
    type: fields.type.value.trim(),
    userId: fields.userId.value.trim(),
    from: fields.from.value ? new Date(fields.from.value).toISOString() : '',
    to: fields.to.value ? new Date(fields.to.value).toISOString() : '',
  });
  async function load(append) {
    const page = append ? await adminApi.audit(filters(), next) : await auditOrNote(filters());
    if (!page.events) {
      list.replaceChildren(h('p', { class: 'muted' }, 'The audit trail is not available on this server.'));
      return;
    }
    next = page.next;
    more.hidden = !next;
    if (append) list.append(eventList(page.events));
    else list.replaceChildren(eventList(page.events));
  }
  more.addEventListener(
    'click',
    act(
      ui,
      () => load(true),
      async () => undefined,
    ),
  );
  const form = h(
    'form',
    { class: 'inline', 'aria-label': 'Audit filters' },
    ...Object.values(fields),
    h('button', { type: 'submit', class: 'small' }, 'Filter'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act(
      ui,
      () => load(false),
      async () => undefined,
    )();
  });
  return { element: section('Audit log', form, list, more), load: () => load(false) };
}

/** The whole view; only reachable for ADMIN users (the API refuses everyone else anyway). */
export async function adminView(ui, me) {
  if (me.role !== 'ADMIN') {
    ui.show('Administration', h('p', {}, 'This page is for administrators.'), h('nav', { class: 'links' }, ui.link('/', 'Back')));
    return;
  }
  const detail = detailSection(ui);
  const users = usersSection(ui, me, detail.show);
  const bans = bansSection(ui);
  const audit = auditSection(ui);
  ui.show('Administration', h('nav', { class: 'links' }, ui.link('/', 'Back to my account')), users.element, detail.element, bans.element, audit.element);
  document.getElementById('app').classList.add('wide');
  await Promise.all([users.load(), bans.load(), audit.load()]).catch((error) => ui.setMessage('error', ui.describe(error)));
}
