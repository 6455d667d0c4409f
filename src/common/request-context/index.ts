export { acceptedRequestId, currentRequest, requestContextMiddleware, type RequestContext } from './request-context';
