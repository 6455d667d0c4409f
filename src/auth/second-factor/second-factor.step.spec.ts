import type { UserRecord } from '../../storage';
import { SecondFactorStep } from './second-factor.step';

const user = (twoFactorEnabled: boolean) => ({ id: 'u1', twoFactorEnabled }) as UserRecord;

describe('SecondFactorStep', () => {
  it('MF-01 without a registered second-factor module, a 2FA account is refused rather than let in on its password', async () => {
    const step = new SecondFactorStep();
    await expect(step.challenge(user(true))).rejects.toMatchObject({ status: 503, code: 'SECOND_FACTOR_UNAVAILABLE' });
    await expect(step.confirm(user(true), {})).rejects.toMatchObject({ status: 503 });
    await expect(step.challenge(user(false))).resolves.toBeNull();
    await expect(step.confirm(user(false), {})).resolves.toBeUndefined();
  });

  it('hands both decisions to the registered module', async () => {
    const step = new SecondFactorStep();
    const confirm = jest.fn().mockResolvedValue(undefined);
    step.register({ challenge: async () => ({ tempToken: 't' }), confirm });
    await expect(step.challenge(user(false))).resolves.toEqual({ tempToken: 't' });
    await step.confirm(user(true), { token: '123456' });
    expect(confirm).toHaveBeenCalledWith(user(true), { token: '123456' });
  });
});
