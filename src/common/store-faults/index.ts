export { StoreFaults, StoreFaultsModule } from './store-faults';
