export { TokenKind, newToken, tokenKind, tokenDigest, safeEqual, dailyKeyedHash } from './tokens';
export { RateLimiter, type RateLimitRule, type RateLimitResult } from './rate-limiter';
export { SecurityModule } from './security.module';
export { ACCESS_POLICY, Public, ReporterOnly, StaffOnly, CurrentPrincipal } from './access.decorators';
export {
  CHALLENGE_BYTES,
  checkChallenge,
  issueChallenge,
  type ChallengeCheck,
  type StampedChallenge,
} from './stamped-challenge';
