import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import {
  cryptoReady,
  type Envelope,
  fromB64u,
  isUuid,
  SignatureError,
  validateEnvelope,
  verifyAuthor,
} from '@panah/crypto';
import { KeyDirectoryService, ReporterRepository } from '@panah/intake';
import { CheckinReason, invalid } from './errors';
import { SafetySignalKind, safetySignedBytes, verifyEd25519 } from './signed-request';

export interface SignedSignalInput {
  readonly id?: unknown;
  readonly at?: unknown;
  readonly kid?: unknown;
  readonly signature?: unknown;
}

export interface VerifiedSignal {
  readonly id: string;
  /** Signed with the duress key, or sent from a session opened with it. Never shown to anyone but staff. */
  readonly duress: boolean;
}

/** Room for "I am moving to…" and a little more; a check-in note is not a report. */
const CHECKIN_ENVELOPE_MAX_CT_BYTES = 16 * 1024;

/**
 * Checks that a check-in or panic was signed just now by one of the reporter's own keys. The
 * session token alone is not enough: a phone seized with a live session must not be able to keep
 * the dead-man's switch quiet, and a coerced reporter who gives up their duress code instead of
 * their real one signs with the duress key, which is itself the alert.
 */
@Injectable()
export class SignalVerifier implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly directory: KeyDirectoryService,
    private readonly reporters: ReporterRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await cryptoReady();
  }

  async verify(
    reporterId: string,
    sessionId: string,
    kind: SafetySignalKind,
    input: SignedSignalInput,
    now = new Date(),
  ): Promise<VerifiedSignal> {
    const { id, at, kid, signature } = input;
    const shape = [
      ...(isUuid(id) ? [] : [{ path: 'id', message: 'must be a lowercase UUID' }]),
      ...(typeof at === 'string' && at.length <= 40 && !Number.isNaN(Date.parse(at))
        ? []
        : [{ path: 'at', message: 'must be an ISO-8601 time' }]),
      ...(typeof kid === 'string' && kid.length <= 64
        ? []
        : [{ path: 'kid', message: 'must be the kid of one of your sign keys' }]),
      ...(typeof signature === 'string' && /^[A-Za-z0-9_-]{86}$/.test(signature)
        ? []
        : [{ path: 'signature', message: 'must be 64 bytes in base64url' }]),
    ];
    if (shape.length > 0) throw invalid(CheckinReason.BadSignature, 'Malformed signed request', shape);
    const age = Math.abs(now.getTime() - Date.parse(at as string)) / 1000;
    if (age > this.config.checkins.signatureMaxAgeSeconds) {
      throw invalid(CheckinReason.StaleSignature, 'The signed time is too far from now', [
        {
          path: 'at',
          message: `must be within ${this.config.checkins.signatureMaxAgeSeconds} s of the server clock`,
        },
      ]);
    }
    const key = await this.key(reporterId, kid as string);
    const ok =
      key !== null &&
      verifyEd25519(
        fromB64u(key.signPk, 'signPk'),
        safetySignedBytes(kind, id as string, at as string),
        fromB64u(signature as string, 'signature'),
      );
    if (!key || !ok)
      throw invalid(CheckinReason.BadSignature, 'The signature does not verify', [
        { path: 'signature', message: 'does not verify with that key' },
      ]);
    const session = await this.reporters.session(this.dataSource.manager, sessionId);
    return { id: id as string, duress: key.purpose === 'duress' || session?.duress === true };
  }

  /** A `checkin` envelope for the current intake keys, signed by one of the reporter's keys. */
  async checkEnvelope(reporterId: string, checkinId: string, input: unknown): Promise<Envelope> {
    const result = validateEnvelope(input, {
      expectedId: checkinId,
      expectedKind: 'checkin',
      maxCiphertextBytes: CHECKIN_ENVELOPE_MAX_CT_BYTES,
    });
    if (!result.ok) {
      throw invalid(
        CheckinReason.BadEnvelope,
        'Malformed check-in envelope',
        result.errors.map((e) => ({
          path: e.field === '$' ? 'envelope' : `envelope.${e.field}`,
          message: e.problem,
        })),
      );
    }
    const envelope = result.envelope;
    const directory = await this.directory.current();
    const known = new Set(directory?.intakeKids ?? []);
    const strangers = envelope.recipients.flatMap((r, i) =>
      known.has(r.kid)
        ? []
        : [
            {
              path: `envelope.recipients[${i}].kid`,
              message: 'is not an intake key of the current directory',
            },
          ],
    );
    if (strangers.length > 0)
      throw invalid(
        CheckinReason.BadEnvelope,
        'Recipients must be intake keys of the current directory',
        strangers,
      );
    const author = await this.key(reporterId, envelope.author.kid);
    if (!author)
      throw invalid(CheckinReason.BadEnvelope, 'The envelope must be signed with one of your keys', [
        { path: 'envelope.author.kid', message: 'is not one of your keys' },
      ]);
    try {
      verifyAuthor(envelope, fromB64u(author.signPk, 'signPk'));
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error;
      throw invalid(CheckinReason.BadEnvelope, 'The envelope signature does not verify', [
        { path: 'envelope.author.sig', message: 'does not verify' },
      ]);
    }
    return envelope;
  }

  private async key(
    reporterId: string,
    kid: string,
  ): Promise<{ signPk: string; purpose: 'primary' | 'duress' } | null> {
    const row = await this.reporters.signingKey(this.dataSource.manager, reporterId, kid);
    return row ? { signPk: row.sign_pk, purpose: row.purpose } : null;
  }
}
