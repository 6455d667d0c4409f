export { OutboundCalls, OutboundCallsModule, type OutboundCall } from './outbound-calls';
