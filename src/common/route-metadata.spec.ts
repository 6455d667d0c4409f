import { Controller, Get, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { routeMetadata } from './route-metadata';

const KEY = 'test:flag';

class BaseController {
  @Get()
  list(): string {
    return 'listed';
  }
}

@SetMetadata(KEY, 'open')
@Controller('open')
class OpenController extends BaseController {}

@Controller('closed')
class ClosedController extends BaseController {
  @SetMetadata(KEY, 'own')
  @Get('own')
  own(): string {
    return 'own';
  }
}

const contextOf = (controller: object, handler: (...args: never[]) => unknown) =>
  ({ getHandler: () => handler, getClass: () => controller }) as unknown as ExecutionContext;

describe('routeMetadata', () => {
  it('reads handler metadata over controller metadata, as Reflector.getAllAndOverride does', () => {
    const reflector = new Reflector();
    expect(routeMetadata(reflector, KEY, contextOf(ClosedController, ClosedController.prototype.own))).toBe('own');
    expect(routeMetadata(reflector, KEY, contextOf(OpenController, OpenController.prototype.list))).toBe('open');
  });

  it('keeps an inherited handler apart per controller: one answer does not leak into the other', () => {
    const reflector = new Reflector();
    const shared = BaseController.prototype.list;
    expect(routeMetadata(reflector, KEY, contextOf(OpenController, shared))).toBe('open');
    expect(routeMetadata(reflector, KEY, contextOf(ClosedController, shared))).toBeUndefined();
    expect(routeMetadata(reflector, KEY, contextOf(OpenController, shared))).toBe('open');
  });

  it('asks reflect-metadata once per route and key', () => {
    const reflector = new Reflector();
    const read = jest.spyOn(reflector, 'getAllAndOverride');
    const context = contextOf(ClosedController, ClosedController.prototype.own);
    for (let i = 0; i < 5; i++) expect(routeMetadata(reflector, 'test:other', context)).toBeUndefined();
    expect(read).toHaveBeenCalledTimes(1);
  });
});
