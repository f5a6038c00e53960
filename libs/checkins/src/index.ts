export { CheckinsModule, DuressPortModule } from './checkins.module';
export { CheckinService, type PlanView, type CheckinView, type ReporterRef } from './checkin.service';
export { PanicService, type PanicView } from './panic.service';
export { DuressService } from './duress.service';
export { DeadlineService, type AlertResult } from './deadline.service';
export {
  CheckinHistoryService,
  type CheckinHistoryItem,
  type CaseSafetyItem,
} from './checkin-history.service';
export { safetySignedBytes, verifyEd25519, type SafetySignalKind } from './signed-request';
export { CheckinReason } from './errors';
export type { SignedSignalInput } from './signal-verifier.service';
export { SafetyTimelineRepository, type SafetyTimelineRow } from './safety-timeline.repository';
