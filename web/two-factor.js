// The second factor in the page: the step after the password, and enrolment / turning off /
// new backup codes in the signed-in view. Uses the same API as LibreChat's client.
import { api } from './api.js';
import { field, form, h } from './dom.js';
import { passkeySecondStepButton } from './passkeys.js';

/** A code field accepts either: six digits are an authenticator code, anything else a backup code. */
export function proofOf(code) {
  const value = String(code || '').trim();
  return /^\d{6}$/.test(value.replace(/\s+/g, '')) ? { token: value.replace(/\s+/g, '') } : { backupCode: value };
}

/** After a correct password: ask for the code, then finish the sign-in with the temp token. */
export function secondStepView(ui, tempToken) {
  ui.show(
    'Two-factor authentication',
    h('p', {}, 'Enter the 6-digit code from your authenticator app, or one of your backup codes.'),
    form([...field('Authentication code', 'code', 'text', { autocomplete: 'one-time-code', inputmode: 'text', maxlength: 64 })], 'Verify', async ({ code }) => {
      try {
        ui.setMessage('error', '');
        await api.verifyTemp(tempToken, proofOf(code));
        ui.go('/');
      } catch (error) {
        ui.setMessage('error', ui.describe(error));
      }
    }),
    passkeySecondStepButton(ui, tempToken),
    h('nav', { class: 'links' }, ui.link('/login', 'Back to sign in')),
  );
}

function backupCodeList(codes) {
  return [
    h('p', {}, 'Backup codes (each works once; store them somewhere safe, they are shown only now):'),
    h(
      'ul',
      { class: 'backup-codes', 'aria-label': 'Backup codes' },
      codes.map((c) => h('li', {}, h('code', {}, c))),
    ),
  ];
}

/** Enrolment: QR code and secret, backup codes once, then a code from the app confirms. */
async function enrolView(ui) {
  const enrolment = await api.enableTwoFactor();
  const secret = new URL(enrolment.otpauthUrl).searchParams.get('secret') || '';
  ui.show(
    'Set up two-factor authentication',
    h('p', {}, 'Scan this QR code with your authenticator app, or enter the key by hand.'),
    enrolment.qrCodeDataUrl
      ? h('img', { class: 'qr', id: 'totp-qr', src: enrolment.qrCodeDataUrl, alt: 'QR code for your authenticator app', width: 200, height: 200 })
      : null,
    h('p', {}, 'Key: ', h('code', { 'data-field': 'totp-secret' }, secret)),
    ...backupCodeList(enrolment.backupCodes),
    form(
      [...field('Code from your app', 'code', 'text', { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6 })],
      'Turn on',
      async ({ code }) => {
        try {
          ui.setMessage('error', '');
          await api.confirmTwoFactor(String(code).trim());
          await ui.go('/');
          ui.setMessage('notice', 'Two-factor authentication is on. Other devices were signed out.');
        } catch (error) {
          ui.setMessage('error', ui.describe(error));
        }
      },
    ),
    h('nav', { class: 'links' }, ui.link('/', 'Cancel')),
  );
}

/** The section of the signed-in view. */
export function twoFactorSection(ui, user) {
  if (!user.twoFactorEnabled) {
    return h(
      'section',
      { 'aria-label': 'Two-factor authentication' },
      h('h2', {}, 'Two-factor authentication'),
      h('p', { 'data-field': 'two-factor' }, 'Off'),
      h(
        'button',
        { type: 'button', class: 'secondary', onClick: () => enrolView(ui).catch((error) => ui.setMessage('error', ui.describe(error))) },
        'Set up two-factor authentication',
      ),
    );
  }
  const codeForm = (name, fieldLabel, button, action) =>
    form([...field(fieldLabel, name, 'text', { autocomplete: 'one-time-code', maxlength: 64 })], button, async (values) => {
      try {
        ui.setMessage('error', '');
        await action(proofOf(values[name]));
      } catch (error) {
        ui.setMessage('error', ui.describe(error));
      }
    });
  return h(
    'section',
    { 'aria-label': 'Two-factor authentication' },
    h('h2', {}, 'Two-factor authentication'),
    h('p', { 'data-field': 'two-factor' }, 'On'),
    codeForm('code-off', 'Code to turn it off (authenticator or backup code)', 'Turn off', async (proof) => {
      await api.disableTwoFactor(proof);
      // The notice goes with the redrawn view, which then already says "Off".
      await ui.go('/');
      ui.setMessage('notice', 'Two-factor authentication is off.');
    }),
    codeForm('code-regenerate', 'Code for new backup codes (authenticator or backup code)', 'New backup codes', async (proof) => {
      const res = await api.regenerateBackupCodes(proof);
      ui.show('New backup codes', ...backupCodeList(res.backupCodes), h('nav', { class: 'links' }, ui.link('/', 'Done')));
    }),
  );
}
