import type { ServerConfig } from '../../config';
import { MailRenderer, describeDuration } from './mail-renderer';

const renderer = new MailRenderer({ appTitle: 'Acme <Chat>' } as ServerConfig);

describe('MailRenderer', () => {
  it('renders subject, HTML and text with the same link', () => {
    const mail = renderer.render('password-reset-request', 'ada@example.com', {
      name: 'Ada',
      link: 'https://chat.example.com/reset-password?token=abc&userId=1',
      expiresIn: '15 minutes',
    });
    expect(mail).toMatchObject({ to: 'ada@example.com', toName: 'Ada', subject: 'Password Reset Request' });
    expect(mail.text).toContain('https://chat.example.com/reset-password?token=abc&userId=1');
    expect(mail.text).toContain('expires in 15 minutes');
    expect(mail.html).toContain('href="https://chat.example.com/reset-password?token&#x3D;abc&amp;userId&#x3D;1"');
  });

  it('escapes user-controlled names in HTML, and keeps the subject on one line', () => {
    const mail = renderer.render('verify-email', 'x@example.com', { name: '<script>alert(1)</script>', link: 'https://c.example/verify' });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).toContain('Acme &lt;Chat&gt;');
    const invite = renderer.render('invite', 'x@example.com', { link: 'https://c.example/register' });
    expect(invite.subject).toBe('Invite to join Acme <Chat>!');
    expect(invite.toName).toBeNull();
  });

  it('describes durations for the mail body', () => {
    expect([60_000, 15 * 60_000, 3 * 3_600_000, 7 * 86_400_000].map(describeDuration)).toEqual(['1 minute', '15 minutes', '3 hours', '7 days']);
  });
});
