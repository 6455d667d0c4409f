export { WebModule } from './web.module';
export { PAGE_CSP, WEB_ROOT } from './web-pages.controller';
