// Passkeys in the page (issue 21): the browser's WebAuthn API directly, no library and no build
// step. The server speaks the WebAuthn JSON forms (base64url); the helpers below convert, since
// PublicKeyCredential.parseCreationOptionsFromJSON is not in every browser.
import { api } from './api.js';
import { h } from './dom.js';

const fromB64u = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4)), (c) => c.charCodeAt(0));
const toB64u = (buf) =>
  btoa(String.fromCharCode(...new Uint8Array(buf)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const descriptors = (list) => (list || []).map((c) => ({ ...c, id: fromB64u(c.id) }));

export const passkeysSupported = () => typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;

function creationOptions(json) {
  return {
    ...json,
    challenge: fromB64u(json.challenge),
    user: { ...json.user, id: fromB64u(json.user.id) },
    excludeCredentials: descriptors(json.excludeCredentials),
  };
}

function requestOptions(json) {
  return { ...json, challenge: fromB64u(json.challenge), allowCredentials: descriptors(json.allowCredentials) };
}

/** PublicKeyCredential → the JSON the server expects (toJSON where the browser has it). */
function credentialJSON(cred) {
  if (typeof cred.toJSON === 'function') return cred.toJSON();
  const r = cred.response;
  const response = { clientDataJSON: toB64u(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toB64u(r.attestationObject);
    response.transports = typeof r.getTransports === 'function' ? r.getTransports() : [];
  } else {
    response.authenticatorData = toB64u(r.authenticatorData);
    response.signature = toB64u(r.signature);
    if (r.userHandle) response.userHandle = toB64u(r.userHandle);
  }
  return {
    id: cred.id,
    rawId: toB64u(cred.rawId),
    type: cred.type,
    response,
    clientExtensionResults: cred.getClientExtensionResults(),
    authenticatorAttachment: cred.authenticatorAttachment || undefined,
  };
}

let conditional = null;

/** Stops a pending autofill request (a new ceremony replaces it). */
function abortConditional() {
  if (conditional) conditional.abort();
  conditional = null;
}

async function assertAndSignIn(ui, options, mediation, signal) {
  const cred = await navigator.credentials.get({ publicKey: requestOptions(options), mediation, signal });
  if (!cred) return;
  await api.passkeySignIn(credentialJSON(cred));
  await ui.go('/');
}

/** The "Continue with a passkey" button of the sign-in view (named like the provider buttons). */
export function passkeySignInButton(ui) {
  if (!passkeysSupported()) return null;
  return h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'data-action': 'passkey-sign-in',
      onClick: async () => {
        abortConditional();
        try {
          ui.setMessage('error', '');
          const email = document.getElementById('f-email')?.value || '';
          await assertAndSignIn(ui, await api.passkeySignInOptions(/@/.test(email) ? email : undefined), 'optional');
        } catch (error) {
          if (error && error.name === 'NotAllowedError') return ui.setMessage('error', 'The passkey request was cancelled or timed out.');
          ui.setMessage('error', ui.describe(error));
        }
      },
    },
    'Continue with a passkey',
  );
}

/** Conditional mediation: passkeys offered in the email field's autofill (autocomplete="username webauthn"). */
export async function startConditionalSignIn(ui) {
  abortConditional();
  if (!passkeysSupported() || typeof window.PublicKeyCredential.isConditionalMediationAvailable !== 'function') return;
  if (!(await window.PublicKeyCredential.isConditionalMediationAvailable().catch(() => false))) return;
  const controller = new AbortController();
  conditional = controller;
  try {
    await assertAndSignIn(ui, await api.passkeySignInOptions(), 'conditional', controller.signal);
  } catch (error) {
    if (controller.signal.aborted || (error && (error.name === 'AbortError' || error.name === 'NotAllowedError'))) return;
    ui.setMessage('error', ui.describe(error));
  }
}

/** The second step of a 2FA sign-in with a passkey instead of a code. */
export function passkeySecondStepButton(ui, tempToken) {
  if (!passkeysSupported()) return null;
  return h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'data-action': 'passkey-second-factor',
      onClick: async () => {
        try {
          ui.setMessage('error', '');
          const options = await api.passkeySecondFactorOptions(tempToken);
          const cred = await navigator.credentials.get({ publicKey: requestOptions(options) });
          await api.verifyTemp(tempToken, { passkey: credentialJSON(cred) });
          await ui.go('/');
        } catch (error) {
          ui.setMessage('error', error && error.name === 'NotAllowedError' ? 'The passkey request was cancelled or timed out.' : ui.describe(error));
        }
      },
    },
    'Use a passkey',
  );
}

/** The passkeys section of the signed-in view: list, add, rename, remove. */
export async function passkeySection(ui) {
  const { passkeys } = await api.passkeys().catch(() => ({ passkeys: [] }));
  const act = (fn) => async () => {
    try {
      ui.setMessage('error', '');
      const notice = await fn();
      if (notice === undefined) return;
      await ui.go('/');
      ui.setMessage('notice', notice);
    } catch (error) {
      ui.setMessage('error', error && error.name === 'NotAllowedError' ? 'The passkey request was cancelled or timed out.' : ui.describe(error));
    }
  };
  const items = passkeys.map((p) =>
    h(
      'li',
      { 'data-passkey': p.id },
      h(
        'span',
        {},
        h('span', { 'data-field': 'passkey-name' }, p.name),
        p.flagged ? h('strong', {}, ' (blocked: possible copy)') : null,
        h('br'),
        h(
          'span',
          { class: 'muted' },
          `added ${new Date(p.createdAt).toLocaleString()}${p.lastUsedAt ? ` · last used ${new Date(p.lastUsedAt).toLocaleString()}` : ''}`,
        ),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'small secondary',
          'aria-label': `Rename passkey ${p.name}`,
          onClick: act(async () => {
            const name = window.prompt('New name for this passkey', p.name);
            if (!name) return undefined;
            await api.renamePasskey(p.id, name);
            return 'Passkey renamed. Other devices were signed out.';
          }),
        },
        'Rename',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'small secondary',
          'aria-label': `Remove passkey ${p.name}`,
          onClick: act(async () => {
            await api.removePasskey(p.id);
            return 'Passkey removed. Other devices were signed out.';
          }),
        },
        'Remove',
      ),
    ),
  );
  return h(
    'section',
    { 'aria-label': 'Passkeys' },
    h('h2', {}, 'Passkeys'),
    passkeys.length ? h('ul', { class: 'sessions', 'aria-label': 'Your passkeys' }, items) : h('p', { 'data-field': 'passkeys' }, 'None yet'),
    passkeysSupported()
      ? h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'data-action': 'add-passkey',
            onClick: act(async () => {
              const options = await api.passkeyRegistrationOptions();
              const cred = await navigator.credentials.create({ publicKey: creationOptions(options) });
              await api.registerPasskey(credentialJSON(cred), passkeyName());
              return 'Passkey added. Other devices were signed out.';
            }),
          },
          'Add a passkey',
        )
      : h('p', { class: 'muted' }, 'This browser does not support passkeys.'),
  );
}

function passkeyName() {
  const ua = navigator.userAgent;
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Mac/.test(ua)
        ? 'macOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'this device';
  return `Passkey on ${os}`;
}
