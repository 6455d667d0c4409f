import type { PassportRequest } from './passport-runner';
import { ProviderTimeoutError, runStrategy } from './passport-runner';

describe('runStrategy', () => {
  afterEach(() => jest.useRealTimers());

  it('turns a strategy that never decides into a ProviderTimeoutError (an error type, not a message)', async () => {
    jest.useFakeTimers();
    const outcome = runStrategy({ authenticate: () => undefined }, {} as PassportRequest);
    jest.advanceTimersByTime(20_000);
    const result = await outcome;
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.error).toBeInstanceOf(ProviderTimeoutError);
  });

  it('reports the redirect a strategy asks for', async () => {
    const strategy = {
      authenticate(this: { redirect(url: string): void }) {
        this.redirect('https://idp.example/authorize');
      },
    };
    await expect(runStrategy(strategy, {} as PassportRequest)).resolves.toEqual({ kind: 'redirect', url: 'https://idp.example/authorize' });
  });
});
