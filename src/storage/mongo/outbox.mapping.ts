import { OutboxMessage } from '../ports';
import { idToString, optionalString } from './object-id';
import { OutboxDoc } from './schemas/outbox.schema';

/**
 * One claim: the oldest due pending message gets a lease (`availableAt` pushed to the end of it)
 * and an attempt. Being a single findOneAndUpdate, a message is claimed by one caller only; a
 * crashed sender's message becomes due again when its lease runs out.
 */
export function claimQuery(now: Date, leaseMs: number, owner: string) {
  return {
    filter: { status: 'pending' as const, availableAt: { $lte: now } },
    update: { $set: { availableAt: new Date(now.getTime() + leaseMs), leaseOwner: owner, updatedAt: now }, $inc: { attempts: 1 } },
    sort: { availableAt: 1, _id: 1 } as const,
  };
}

export function toOutboxMessage(doc: OutboxDoc): OutboxMessage {
  return {
    id: idToString(doc._id),
    kind: doc.kind,
    payload: doc.payload,
    status: doc.status,
    attempts: doc.attempts,
    availableAt: doc.availableAt,
    lastError: optionalString(doc.lastError),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
