export { jsonBodyOptions } from './body-parsers';
