import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConversationRepository } from './conversation.repository';
import { decodeCursor } from './report.service';

export interface MessageView {
  readonly id: string;
  readonly reportId: string | null;
  readonly caseId: string | null;
  /** `staff`: sealed to the reporter's box key, signed by a staff key; `reporter`: their own message. */
  readonly from: 'staff' | 'reporter';
  /** A crypto-v1 envelope: only its recipients' devices open it. */
  readonly envelope: Record<string, unknown>;
  readonly createdAt: string;
}

/** The reporter's side of their conversation (both directions), newest first. */
@Injectable()
export class MessageService {
  private readonly conversation = new ConversationRepository();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(
    reporterId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: MessageView[]; nextCursor: string | null }> {
    const after = cursor === undefined ? null : decodeCursor(cursor);
    const rows = await this.conversation.listForReporter(
      this.dataSource.manager,
      reporterId,
      limit + 1,
      after,
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        reportId: r.reportId,
        caseId: r.caseId,
        from: r.from,
        envelope: r.envelope,
        createdAt: r.createdAt.toISOString(),
      })),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }
}
