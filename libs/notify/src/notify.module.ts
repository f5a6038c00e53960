import { Module } from '@nestjs/common';
import { ContactCipher } from './contact-cipher';
import { NotificationChannels } from './notification-channels';

/** Notification channels and the at-rest cipher for contact details. */
@Module({ providers: [NotificationChannels, ContactCipher], exports: [NotificationChannels, ContactCipher] })
export class NotifyModule {}
