import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { CrashPoints } from '../../common/crash-point';
import { OutboxRepository, UnitOfWork } from '../../storage';
import { MAIL_KIND, MailPayloadSeal, type MailJob } from './sealed-payload';
import { OutboxWorker } from './outbox-worker';

/**
 * The only way the application sends mail: the message is written to the store first and the
 * worker delivers it, so SMTP being down or slow never fails or slows a request, and a restart
 * loses nothing (RL-04). Called inside a `UnitOfWork`, the row commits with the state change the
 * mail announces, before the response (RL-12); the worker is woken only once it has committed.
 */
@Injectable()
export class MailOutbox {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly seal: MailPayloadSeal,
    private readonly worker: OutboxWorker,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
    private readonly crash: CrashPoints,
  ) {}

  async enqueue(job: MailJob): Promise<string> {
    const message = await this.outbox.enqueue({ kind: MAIL_KIND, payload: this.seal.seal(job) }, this.clock.now());
    this.unitOfWork.afterCommit(() => {
      this.crash.reach('after-mail-commit');
      this.worker.nudge();
    });
    return message.id;
  }
}
