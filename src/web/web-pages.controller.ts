import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/access.decorators';
import { PACKAGE_ROOT } from '../common/package-root';

/** The built-in sign-in pages live in `web/` beside package.json, for `src/` and `dist/` alike. */
export const WEB_ROOT = path.join(PACKAGE_ROOT, 'web');

/**
 * A strict policy for the pages: only our own scripts, styles and API; no inline code, no
 * framing, no plugins. IdP/button images may come from https (OPENID_IMAGE_URL).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "manifest-src 'self'",
].join('; ');

/**
 * Paths the page handles, LibreChat's client paths among them, so links in mails
 * (`/verify`, `/reset-password`) and provider failures (`/login?error=auth_failed`) land here
 * when DOMAIN_CLIENT is this server.
 */
@ApiExcludeController()
@Controller()
export class WebPagesController {
  @Get(['/', 'login', 'register', 'forgot-password', 'reset-password', 'verify', 'admin'])
  @Public()
  async page(@Res() res: FastifyReply): Promise<void> {
    // Read per request (a few KiB): the page is never cached (no-store), and a rebuilt web/ shows at once.
    const html = await readFile(path.join(WEB_ROOT, 'index.html'));
    void res.header('Content-Security-Policy', PAGE_CSP).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(html);
  }
}
