export { MailModule } from './mail.module';
export { MailApiModule } from './mail-api.module';
export { OutboxWorker, type OutboxWorkerStatus } from './outbox/outbox-worker';
export { BackgroundTasks } from './outbox/background-tasks';
export { OutboxMonitor, type OutboxHealth } from './outbox/outbox-monitor';
export { InviteService, INVITE_TTL_MS, type CreatedInvite } from './invites/invite.service';
export { MailErrors } from './mail.errors';
