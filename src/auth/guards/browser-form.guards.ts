import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError, CommonErrors } from '../../common/errors';
import { ServerConfig } from '../../config';
import { assertSameSite } from '../request-context';

/** Refuses cross-site browser requests with the one same-site rule (`assertSameSite`, SE-09, SE-14). */
@Injectable()
export class SameSiteGuard implements CanActivate {
  constructor(private readonly server: ServerConfig) {}

  canActivate(context: ExecutionContext): boolean {
    assertSameSite(context.switchToHttp().getRequest<FastifyRequest>(), this.server);
    return true;
  }
}

/**
 * Accepts `application/json` bodies only (415 otherwise). A cross-site HTML form can send
 * url-encoded, multipart or text/plain bodies without a CORS preflight, but not JSON, so a route
 * that changes state for whoever submits it cannot be driven by a form on another site (SE-14).
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (!isJson(req.headers['content-type']))
      throw new DomainError(CommonErrors.UNSUPPORTED_MEDIA_TYPE, { message: 'Send the request body as application/json.' });
    return true;
  }
}

/**
 * For state-changing routes a browser calls with its own scripts (registration and the like):
 * same-site only, JSON only. Guards run before validation, so a forged form is refused as such.
 */
export const SameSiteJsonOnly = () => applyDecorators(UseGuards(SameSiteGuard, JsonBodyGuard));

/** `application/json`, with or without parameters (`; charset=utf-8`), in any letter case. */
function isJson(contentType: string | undefined): boolean {
  if (typeof contentType !== 'string') return false;
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() === 'application/json';
}
