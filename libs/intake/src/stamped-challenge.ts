// The stamped challenges moved to @panah/security (staff sign-in's proof of work uses them too).
export { CHALLENGE_BYTES, checkChallenge, issueChallenge } from '@panah/security';
export type { ChallengeCheck, StampedChallenge } from '@panah/security';
