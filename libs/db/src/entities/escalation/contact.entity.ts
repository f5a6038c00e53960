import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A staff member's way of being reached. The address, number, room or URL (and a webhook's
 * signing secret) is encrypted at rest with the server data key; only the channel kind is clear.
 */
@Entity('contact_methods')
@Index('contact_methods_staff_idx', ['staffId', 'priority'])
export class ContactMethod {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  staffId!: string;

  /** email | webhook | signal | matrix | sms */
  @Column({ type: 'text' })
  channel!: string;

  /** Lower first. */
  @Column({ type: 'integer' })
  priority!: number;

  @Column({ type: 'text' })
  detailCiphertext!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** Per-person notification settings: the time zone notify_if evaluates local time in. */
@Entity('staff_notification_settings')
export class StaffNotificationSettings {
  @PrimaryColumn({ type: 'uuid' })
  staffId!: string;

  @Column({ type: 'text' })
  timeZone!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** A team's weekly on-call rotation (one per team). */
@Entity('oncall_schedules')
@Index('oncall_schedules_team_uq', ['teamId'], { unique: true })
export class OnCallScheduleRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  teamId!: string;

  @Column({ type: 'text' })
  timeZone!: string;

  /** `HH:mm` local */
  @Column({ type: 'text' })
  handoffTime!: string;

  /** `yyyy-MM-dd` local */
  @Column({ type: 'text' })
  rotationStart!: string;

  @Column({ type: 'uuid', array: true })
  members!: string[];

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity('oncall_overrides')
@Index('oncall_overrides_schedule_idx', ['scheduleId', 'endsAt'])
export class OnCallOverrideRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  scheduleId!: string;

  @Column({ type: 'uuid' })
  staffId!: string;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
