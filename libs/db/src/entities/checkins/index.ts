import { Checkin } from './checkin.entity';
import { CheckinPlan } from './checkin-plan.entity';
import {
  CaseSafetyEvent,
  CheckinReminder,
  DuressAlert,
  PanicEvent,
  ReporterDuressSetting,
} from './safety-signal.entity';

export {
  Checkin,
  CheckinPlan,
  CaseSafetyEvent,
  CheckinReminder,
  DuressAlert,
  PanicEvent,
  ReporterDuressSetting,
};

export const checkinEntities = [
  CheckinPlan,
  Checkin,
  PanicEvent,
  DuressAlert,
  CaseSafetyEvent,
  CheckinReminder,
  ReporterDuressSetting,
];
