import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions';
import { BalanceSignInSync } from './balance-sign-in.sync';

/** Token balances (issue 15): LibreChat's sign-in balance sync. Spending and refills stay with LibreChat. */
@Module({
  imports: [SessionsModule],
  providers: [BalanceSignInSync],
})
export class BalancesModule {}
