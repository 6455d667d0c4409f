export { acceptedRequestId, assignRequestId, currentRequest, runInRequestContext, type RequestContext } from './request-context';
