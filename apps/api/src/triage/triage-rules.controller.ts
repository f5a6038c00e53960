import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode, type Principal } from '@panah/domain';
import { RuleSetService, type DryRunResult, type RuleSetVersionRow } from '@panah/triage';
import { CurrentPrincipal, StaffOnly } from '@panah/security';
import { CreateRuleSetDto, DryRunDto } from './dto';
import { ApiErrors } from '../http/api-errors';

function staffIdOf(principal: Principal | null): string {
  if (principal?.kind !== 'staff')
    throw new DomainError(ErrorCode.Unauthenticated, 'A staff session is required');
  return principal.staffId;
}

/** Admin-owned triage rules: versions, activation, history and dry runs. */
@ApiTags('triage')
@ApiBearerAuth()
@StaffOnly('admin')
@Controller('triage-rules')
export class TriageRulesController {
  constructor(private readonly rules: RuleSetService) {}

  @Get()
  history(): Promise<RuleSetVersionRow[]> {
    return this.rules.history();
  }

  @Get('active')
  active(): Promise<{ version: number | null; definition: unknown }> {
    return this.rules.active();
  }

  /** A new version of the whole rule set (validated: unknown fields, impossible conditions, missing default, unknown team or policy are 400s with paths). */
  @Post()
  @ApiErrors({
    400: [
      'request/validation_failed: `triage/invalid_rule_set`, the rule set is malformed (each problem named in `fields`); `triage/missing_default`, it has no default rule',
    ],
  })
  create(
    @Body() body: CreateRuleSetDto,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<RuleSetVersionRow> {
    return this.rules.create(body.ruleSet, staffIdOf(principal), body.activate ?? false);
  }

  @Post(':version/activate')
  @ApiErrors({
    404: ['request/not_found: `triage/unknown_version`, no rule set has this version'],
  })
  @HttpCode(200)
  activate(
    @Param(
      'version',
      new ParseIntPipe({
        exceptionFactory: () =>
          new DomainError(ErrorCode.ValidationFailed, 'Invalid version', [
            { path: 'version', message: 'must be an integer' },
          ]),
      }),
    )
    version: number,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<RuleSetVersionRow> {
    return this.rules.activate(version, staffIdOf(principal));
  }

  /** Evaluates hints against a draft or the active rule set and explains which rule matched and why. */
  @Post('dry-run')
  @ApiErrors({
    400: [
      'request/validation_failed: `triage/invalid_rule_set`, the rule set is malformed; `triage/missing_default`, it has no default rule; `hints/not_an_object`, `hints/unknown_field`, `hints/unknown_value`, the hints are malformed (each named in `fields`)',
    ],
  })
  @HttpCode(200)
  dryRun(@Body() body: DryRunDto): Promise<DryRunResult> {
    return this.rules.dryRun(body.hints, body.ruleSet);
  }
}
