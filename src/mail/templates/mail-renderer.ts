import { Clock, SystemClock } from '../../common/clock';
import { Injectable, Optional } from '@nestjs/common';
import Handlebars from 'handlebars';
import { ServerConfig } from '../../config';
import type { OutgoingMail } from '../transport/mail-sender';
import { MAIL_TEMPLATES, type MailTemplateName } from './mail-templates';

export interface MailVariables {
  name?: string | null;
  link?: string;
  expiresIn?: string;
}

type Compiled = { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate };

/** Compiles every template once at start (a broken template fails the boot, not a send). */
@Injectable()
export class MailRenderer {
  private readonly compiled = new Map<MailTemplateName, Compiled>();

  constructor(
    private readonly server: ServerConfig,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {
    // An isolated instance: no helpers or partials registered elsewhere can reach these templates.
    const hbs = Handlebars.create();
    for (const [name, source] of Object.entries(MAIL_TEMPLATES) as [MailTemplateName, (typeof MAIL_TEMPLATES)[MailTemplateName]][]) {
      const plain = { noEscape: true, strict: true };
      this.compiled.set(name, {
        subject: hbs.compile(source.subject, plain),
        html: hbs.compile(source.html, { strict: true }),
        text: hbs.compile(source.text, plain),
      });
    }
  }

  render(template: MailTemplateName, to: string, vars: MailVariables): OutgoingMail {
    const compiled = this.compiled.get(template);
    if (!compiled) throw new Error(`unknown mail template ${template}`);
    const context = {
      appName: this.server.appTitle,
      name: vars.name?.trim() || to,
      link: vars.link ?? '',
      expiresIn: vars.expiresIn ?? '',
      year: this.clock.now().getUTCFullYear(),
    };
    // Subjects become a header: no line breaks whatever the app title holds.
    const subject = compiled.subject(context).replace(/[\r\n]+/g, ' ');
    return { to, toName: vars.name?.trim() || null, subject, html: compiled.html({ ...context, subject }), text: compiled.text(context) };
  }
}

/** "15 minutes", "1 hour", "7 days" — for the mail body. */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 120) return plural(Math.max(1, minutes), 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.round(hours / 24), 'day');
}
