export { SecurityEvents, SecurityEventsModule } from './security-events';
export {
  SECURITY_EVENT_TYPES,
  type RecordedSecurityEvent,
  type SecurityEvent,
  type SecurityEventDetails,
  type SecurityEventListener,
  type SecurityEventType,
} from './security-event';
