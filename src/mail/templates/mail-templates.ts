import { button, htmlLayout } from './layout';

/** Handlebars sources of one message: subject, HTML body and plain-text body. */
export interface MailTemplateSource {
  subject: string;
  html: string;
  text: string;
}

/**
 * The four messages, with LibreChat's subjects (docs/librechat-differences.md#mail). Variables: appName, name, link, year,
 * and expiresIn (a phrase such as "15 minutes"). The HTML parts are escaped by Handlebars; the
 * text parts are compiled without escaping.
 */
export const MAIL_TEMPLATES = {
  'verify-email': {
    subject: 'Verify your email',
    html: htmlLayout(`<p>Hi {{name}},</p>
<p>Please confirm that this is your email address to finish setting up your {{appName}} account.</p>
${button('Verify email')}
<p>The link works once and expires in {{expiresIn}}. If you did not create an account, ignore this message.</p>`),
    text: `Hi {{name}},

Please confirm that this is your email address to finish setting up your {{appName}} account:

{{link}}

The link works once and expires in {{expiresIn}}. If you did not create an account, ignore this message.

{{appName}}
`,
  },
  'password-reset-request': {
    subject: 'Password Reset Request',
    html: htmlLayout(`<p>Hi {{name}},</p>
<p>Someone asked to reset the password of your {{appName}} account.</p>
${button('Choose a new password')}
<p>The link works once and expires in {{expiresIn}}. If you did not ask for this, ignore this message: your password stays as it is.</p>`),
    text: `Hi {{name}},

Someone asked to reset the password of your {{appName}} account. Choose a new password here:

{{link}}

The link works once and expires in {{expiresIn}}. If you did not ask for this, ignore this message: your password stays as it is.

{{appName}}
`,
  },
  'password-reset-done': {
    subject: 'Password Reset Successfully',
    html: htmlLayout(`<p>Hi {{name}},</p>
<p>The password of your {{appName}} account was changed, and every device signed in to it was signed out.</p>
<p>If you did not do this, reset your password now and contact your administrator.</p>`),
    text: `Hi {{name}},

The password of your {{appName}} account was changed, and every device signed in to it was signed out.

If you did not do this, reset your password now and contact your administrator.

{{appName}}
`,
  },
  invite: {
    subject: 'Invite to join {{appName}}!',
    html: htmlLayout(`<p>Hi,</p>
<p>You have been invited to join {{appName}}.</p>
${button('Create your account')}
<p>The invitation expires in {{expiresIn}}.</p>`),
    text: `Hi,

You have been invited to join {{appName}}. Create your account here:

{{link}}

The invitation expires in {{expiresIn}}.

{{appName}}
`,
  },
} as const satisfies Record<string, MailTemplateSource>;

export type MailTemplateName = keyof typeof MAIL_TEMPLATES;
