import { ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonErrors } from './common.errors';
import { DomainError } from './domain-error';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const name = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => m.replace(e.property, name));
    return [...own, ...flatten(e.children ?? [], name)];
  });
}

/**
 * DTOs are whitelists: unknown or privileged fields are dropped, not trusted (PW-09), and
 * validation failures are 400 with one readable message (LibreChat sends 404: defect D-13, docs/librechat-differences.md).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: false,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new DomainError(CommonErrors.VALIDATION_FAILED, { message: flatten(errors).join('; ') || undefined }),
  });
}
