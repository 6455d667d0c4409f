export { BalancesModule } from './balances.module';
export { balanceSyncOf } from './balance-sign-in.sync';
