import { Module } from '@nestjs/common';
import { EscalationModule } from '@panah/escalation';
import { AdminEscalationPoliciesController, AdminOnCallController } from './admin-escalation.controller';
import {
  EscalationLinksController,
  EscalationsController,
  MyNotificationsController,
} from './escalations.controller';

/** Escalation over HTTP: policies and on-call (admin), acknowledge/snooze/resolve, ack links, contact methods. */
@Module({
  imports: [EscalationModule],
  controllers: [
    AdminEscalationPoliciesController,
    AdminOnCallController,
    EscalationsController,
    EscalationLinksController,
    MyNotificationsController,
  ],
})
export class EscalationHttpModule {}
