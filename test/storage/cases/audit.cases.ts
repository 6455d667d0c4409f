import type { NewAuditEvent } from '../../../src/storage';
import { MINUTE, StoreContext, at } from './context';

const event = (over: Partial<NewAuditEvent>): NewAuditEvent => ({
  type: 'sign_in.succeeded',
  at: at(0),
  userId: null,
  actorId: null,
  ip: null,
  userAgent: null,
  requestId: null,
  method: null,
  provider: null,
  reason: null,
  details: {},
  ...over,
});

export function auditCases(ctx: StoreContext): void {
  const log = () => ctx.ports().audit;

  it('stores every field as given and reads it back newest first', async () => {
    const first = await log().append(
      event({
        userId: 'u1',
        actorId: 'a1',
        ip: '10.0.0.1',
        userAgent: 'UA',
        requestId: 'r1',
        method: 'password',
        provider: 'local',
        reason: null,
        details: { n: 1, ok: true, s: 'x', z: null },
      }),
    );
    const second = await log().append(event({ type: 'sign_out', at: at(MINUTE), userId: 'u1' }));
    expect(first.id).not.toBe(second.id);
    const all = await log().query({ limit: 10 });
    expect(all.map((e) => e.id)).toEqual([second.id, first.id]);
    expect(all[1]).toEqual({ ...first, at: at(0) });
    expect(all[1].details).toEqual({ n: 1, ok: true, s: 'x', z: null });
  });

  it('filters by user, type and a half-open time range, and pages without gaps or repeats within one millisecond', async () => {
    for (let i = 0; i < 5; i++) await log().append(event({ userId: 'u1', at: at(0) }));
    await log().append(event({ userId: 'u2', type: 'sign_in.failed', at: at(2 * MINUTE) }));
    await log().append(event({ userId: 'u1', type: 'sign_in.failed', at: at(3 * MINUTE) }));
    expect((await log().query({ userId: 'u2', limit: 10 })).map((e) => e.type)).toEqual(['sign_in.failed']);
    expect(await log().query({ type: 'sign_in.failed', limit: 10 })).toHaveLength(2);
    expect(await log().query({ from: at(2 * MINUTE), to: at(3 * MINUTE), limit: 10 })).toHaveLength(1);
    const seen: string[] = [];
    let page = await log().query({ userId: 'u1', limit: 2 });
    while (page.length) {
      seen.push(...page.map((e) => e.id));
      const last = page[page.length - 1];
      page = await log().query({ userId: 'u1', limit: 2, before: { at: last.at, id: last.id } });
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(await log().query({ limit: 10, before: { at: at(0), id: 'not-an-id' } })).toEqual([]);
  });

  it('deletes only events older than the cutoff', async () => {
    await log().append(event({ at: at(0) }));
    await log().append(event({ at: at(MINUTE) }));
    expect(await log().deleteOlderThan(at(MINUTE))).toBe(1);
    expect((await log().query({ limit: 10 })).map((e) => e.at)).toEqual([at(MINUTE)]);
  });
}
