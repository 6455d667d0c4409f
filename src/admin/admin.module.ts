import { Module } from '@nestjs/common';
import { AuthModule } from '../auth';
import { SessionsModule } from '../sessions';
import { UsersModule } from '../users';
import { AdminUsersController } from './admin-users.controller';
import { AdminUsersService } from './admin-users.service';

/** Account administration API for ADMIN users; the ban API stays with moderation. */
@Module({
  imports: [AuthModule, SessionsModule, UsersModule],
  controllers: [AdminUsersController],
  providers: [AdminUsersService],
})
export class AdminModule {}
