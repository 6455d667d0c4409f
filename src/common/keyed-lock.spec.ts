import { KeyedLock } from './keyed-lock';

describe('KeyedLock', () => {
  const tick = () => new Promise((r) => setImmediate(r));

  it('runs tasks of one key in order, without overlap, even when one fails', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`${name}:start`);
        await tick();
        log.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([lock.run('u1', task('a', true)), lock.run('u1', task('b')), lock.run('u2', task('c'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('a:end')).toBeLessThan(log.indexOf('b:start'));
    // Another key does not wait.
    expect(log.indexOf('c:start')).toBeLessThan(log.indexOf('a:end'));
  });
});
