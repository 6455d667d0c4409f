import { Module } from '@nestjs/common';
import { WebPagesController } from './web-pages.controller';

@Module({ controllers: [WebPagesController] })
export class WebModule {}
