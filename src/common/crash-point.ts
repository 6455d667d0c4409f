import { Injectable } from '@nestjs/common';
import { ServerConfig, type CrashPoint } from '../config';

/**
 * Test seam (TEST_CRASH_POINT, refused at boot unless NODE_ENV=test): the process kills itself
 * with SIGKILL when it reaches the named point, as `kill -9` would, so an end-to-end test can
 * prove deterministically that nothing promised before that point is lost (RL-12).
 */
@Injectable()
export class CrashPoints {
  constructor(private readonly server: ServerConfig) {}

  reach(point: CrashPoint): void {
    if (this.server.testCrashPoint === point) process.kill(process.pid, 'SIGKILL');
  }
}
