import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import type { Team } from '@panah/db';
import { AuditAction, DomainError, ErrorCode, IdentityReason } from '@panah/domain';
import { uniqueViolation } from './fields';
import { TeamRepository } from './team.repository';

export interface TeamView {
  readonly id: string;
  readonly name: string;
  readonly regions: string[];
  readonly languages: string[];
  readonly members: number;
}

export interface TeamInput {
  readonly name: string;
  readonly regions: readonly string[];
  readonly languages: readonly string[];
}

/** Teams and their routing attributes (admin CRUD; every change audited). */
@Injectable()
export class Teams {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
    private readonly teams: TeamRepository,
  ) {}

  list(): Promise<TeamView[]> {
    return this.teams.list(this.ds.manager, null);
  }

  async get(id: string): Promise<TeamView> {
    const [team] = await this.teams.list(this.ds.manager, id);
    if (!team) throw new DomainError(ErrorCode.NotFound, 'No such team');
    return team;
  }

  async create(actorId: string, input: TeamInput): Promise<TeamView> {
    const id = randomUUID();
    await this.write(() =>
      this.ds.transaction(async (m) => {
        await this.teams.insert(m, {
          id,
          name: input.name,
          regions: dedupe(input.regions),
          languages: dedupe(input.languages),
        });
        await this.audit.append(m, {
          actorType: 'staff',
          actorId,
          action: AuditAction.TeamCreated,
          targetType: 'team',
          targetId: id,
        });
      }),
    );
    return this.get(id);
  }

  async update(actorId: string, id: string, input: Partial<TeamInput>): Promise<TeamView> {
    await this.write(() =>
      this.ds.transaction(async (m) => {
        const team = await this.teams.lock(m, id);
        if (!team) throw new DomainError(ErrorCode.NotFound, 'No such team');
        const patch: Partial<Team> = {};
        if (input.name !== undefined) patch.name = input.name;
        if (input.regions !== undefined) patch.regions = dedupe(input.regions);
        if (input.languages !== undefined) patch.languages = dedupe(input.languages);
        if (Object.keys(patch).length === 0) return;
        await this.teams.update(m, id, patch);
        await this.audit.append(m, {
          actorType: 'staff',
          actorId,
          action: AuditAction.TeamUpdated,
          targetType: 'team',
          targetId: id,
          details: { fields: Object.keys(patch).sort().join(',') },
        });
      }),
    );
    return this.get(id);
  }

  /** Only an empty team can go: its members would silently lose access to its cases otherwise. */
  async remove(actorId: string, id: string): Promise<void> {
    await this.inUseOnRace(() =>
      this.ds.transaction(async (m) => {
        const team = await this.teams.lock(m, id);
        if (!team) throw new DomainError(ErrorCode.NotFound, 'No such team');
        if ((await this.teams.memberCount(m, id)) > 0)
          throw new DomainError(
            ErrorCode.Conflict,
            'The team still has members; move them first',
            [],
            IdentityReason.TeamInUse,
          );
        await this.teams.delete(m, id);
        await this.audit.append(m, {
          actorType: 'staff',
          actorId,
          action: AuditAction.TeamDeleted,
          targetType: 'team',
          targetId: id,
        });
      }),
    );
  }

  /** A member added concurrently makes the RESTRICT foreign key refuse the delete: same 409. */
  private async inUseOnRace(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      const e = error as { code?: string; driverError?: { code?: string } };
      if ((e.driverError?.code ?? e.code) === '23503') {
        throw new DomainError(
          ErrorCode.Conflict,
          'The team still has members; move them first',
          [],
          IdentityReason.TeamInUse,
        );
      }
      throw error;
    }
  }

  private async write(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
  }
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
