import { Clock } from '../../../src/common/clock';
import { OutboxWorker } from '../../../src/mail';
import { MailPayloadSeal } from '../../../src/mail/outbox/sealed-payload';
import { OutboxRepository } from '../../../src/storage';
import { startApp, type RunningApp } from '../../support/app.harness';
import { startSmtpServer, type SmtpServerHandle } from '../../support/smtp';
import { mailEnv, mailTo } from '../mail/mail-helpers';

/**
 * RL-13: mail claimed by a process that then died keeps its lease only MAIL_OUTBOX_LEASE (15 s by
 * default), not a send timeout's worth (minutes): after a restart it goes out within 30 s of the
 * SMTP server being reachable. The dead process is played by a claim under another owner; time
 * moves with the injected clock.
 */
describe('outbox leases of a dead process', () => {
  let smtp: SmtpServerHandle;
  let app: RunningApp;

  beforeEach(async () => {
    smtp = await startSmtpServer();
    // The poll runs only at boot, so the test decides when the worker looks.
    app = await startApp(mailEnv({ host: '127.0.0.1', port: smtp.port }, { MAIL_OUTBOX_POLL_INTERVAL: '600000' }));
  });
  afterEach(async () => {
    await app.stop();
    await smtp.stop();
  });

  it('RL-13 mail leased by a dead process is sent once its short lease has run out, well within 30 s', async () => {
    const outbox = app.app.get(OutboxRepository);
    const worker = app.app.get(OutboxWorker);
    const clock = app.app.get(Clock);
    const leaseMs = app.config.mail.outbox.leaseMs;
    expect(leaseMs).toBeLessThanOrEqual(20_000);

    const seal = new MailPayloadSeal(app.config.secrets.credsKey);
    const start = clock.now();
    const queued = await outbox.enqueue(
      { kind: 'mail', payload: seal.seal({ template: 'password-reset-done', to: 'lease@example.com', vars: { name: 'Lease' } }) },
      start,
    );
    // The process that claimed it died mid-send (kill -9): its claim stays in the store.
    expect(await outbox.claimDue(start, 10, leaseMs, 'dead-instance')).toHaveLength(1);

    let offset = 0;
    const moved = jest.spyOn(clock, 'now').mockImplementation(() => new Date(start.getTime() + offset));
    try {
      offset = leaseMs - 1_000;
      expect(await worker.flush()).toBe(0);
      expect(smtp.messages).toHaveLength(0);
      offset = leaseMs + 1;
      expect(await worker.flush()).toBe(1);
      await mailTo(smtp, 'lease@example.com', 'Password Reset Successfully');
      expect(await outbox.findById(queued.id)).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      moved.mockRestore();
    }
  });

  it('RL-13 a live sender renews its lease while a slow send is in flight, so nobody else takes the message', async () => {
    const outbox = app.app.get(OutboxRepository);
    const now = new Date();
    const queued = await outbox.enqueue({ kind: 'mail', payload: 'x' }, now);
    const worker = app.app.get(OutboxWorker);
    expect(await outbox.claimDue(now, 10, 1_000, worker.owner)).toHaveLength(1);
    expect(await outbox.renewLease(queued.id, worker.owner, new Date(now.getTime() + 900), 1_000)).toBe(true);
    // Due again only a lease after the renewal, not after the first claim.
    expect(await outbox.claimDue(new Date(now.getTime() + 1_500), 10, 1_000, 'other')).toEqual([]);
    expect(await outbox.claimDue(new Date(now.getTime() + 1_901), 10, 1_000, 'other')).toHaveLength(1);
  });
});
