import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { ENVELOPE_MAX_RECIPIENTS } from '@panah/crypto';
import { HINT_CATEGORIES, HINT_IMMINENCE, HINT_LANGUAGES, HINT_PERPETRATORS } from '@panah/domain';
import { MAX_ATTACHMENTS_PER_REPORT } from '@panah/intake';
import { Public } from '@panah/security';

@ApiTags('meta')
@Controller('meta')
export class MetaController {
  constructor(@Inject(PANAH_CONFIG) private readonly config: PanahConfig) {}

  /** What a client needs before deriving keys and sending: deployment id, versions, limits, vocabulary. */
  @Get()
  @Public()
  meta(): Record<string, unknown> {
    return {
      deploymentId: this.config.deploymentId,
      versions: { api: [1], crypto: [1], envelope: [1] },
      limits: {
        bodyBytes: this.config.api.bodyLimitBytes,
        attachmentBytes: this.config.intake.attachmentMaxBytes,
        attachmentsPerReport: MAX_ATTACHMENTS_PER_REPORT,
        recipients: ENVELOPE_MAX_RECIPIENTS,
        sessionSeconds: this.config.intake.sessionTtlSeconds,
      },
      registration: { proofOfWork: { algorithm: 'sha256', difficulty: this.config.intake.powBits } },
      hints: {
        category: HINT_CATEGORIES,
        imminence: HINT_IMMINENCE,
        perpetrator: HINT_PERPETRATORS,
        language: HINT_LANGUAGES,
        country: 'ISO 3166-1 alpha-2',
        namedOnList: 'boolean',
      },
    };
  }
}
