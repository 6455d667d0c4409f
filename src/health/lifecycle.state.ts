import { Injectable } from '@nestjs/common';

/** Set when shutdown begins, so readiness turns 503 while in-flight requests drain (RL-08). */
@Injectable()
export class LifecycleState {
  private draining = false;

  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }
}
