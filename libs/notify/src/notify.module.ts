import { Module } from '@nestjs/common';
import { ContactCipher } from './contact-cipher.service';
import { NotificationChannels } from './notification-channels.service';

/** Notification channels and the at-rest cipher for contact details. */
@Module({ providers: [NotificationChannels, ContactCipher], exports: [NotificationChannels, ContactCipher] })
export class NotifyModule {}
