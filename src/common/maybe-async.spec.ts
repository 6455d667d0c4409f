import { andThen } from './maybe-async';

describe('andThen', () => {
  it('continues at once with a value at hand, and returns what the continuation returns', () => {
    expect(andThen(2, (n) => n * 3)).toBe(6);
  });

  it('continues after a promise resolves', async () => {
    const later = andThen(Promise.resolve(2), (n) => n * 3);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toBe(6);
  });

  it('passes a rejection through without calling the continuation', async () => {
    const next = jest.fn();
    await expect(andThen(Promise.reject(new Error('down')), next)).rejects.toThrow('down');
    expect(next).not.toHaveBeenCalled();
  });
});
