import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor } from './report.service';

export interface MessageView {
  readonly id: string;
  readonly reportId: string | null;
  /** A crypto-v1 envelope sealed to the reporter's box key: only their device opens it. */
  readonly envelope: Record<string, unknown>;
  readonly createdAt: string;
}

/** Messages addressed to a reporter (written by case work; read here, newest first). */
@Injectable()
export class MessageService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(reporterId: string, limit: number, cursor?: string): Promise<{ items: MessageView[]; nextCursor: string | null }> {
    const after = cursor === undefined ? null : decodeCursor(cursor);
    const rows = (await this.dataSource.query(
      `SELECT id, report_id, envelope, created_at FROM reporter_messages
        WHERE reporter_id = $1
          AND ($2::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM reporter_messages WHERE id = $2::uuid AND reporter_id = $1))
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [reporterId, after, limit + 1],
    )) as { id: string; report_id: string | null; envelope: Record<string, unknown>; created_at: Date }[];
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({ id: r.id, reportId: r.report_id, envelope: r.envelope, createdAt: r.created_at.toISOString() })),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }
}
