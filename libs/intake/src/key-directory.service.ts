import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { cryptoReady, DirectoryError, fromB64uExact, SignedDirectory, verifyDirectory } from '@panah/crypto';
import { IntakeReason } from '@panah/domain';
import { badRequest, conflict } from './errors';
import { KeyDirectoryRepository } from './key-directory.repository';

export interface CurrentDirectory {
  readonly serial: string;
  readonly document: SignedDirectory;
  readonly intakeKids: readonly string[];
  readonly expiresAt: Date;
}

/**
 * The signed key directory (crypto-v1 §5). Uploads are verified against the configured root key
 * (never an uploaded one), the deployment id, expiry, and a serial strictly above the current
 * one, so a compromised admin session cannot roll clients back or swap in its own keys unsigned.
 */
@Injectable()
export class KeyDirectoryService implements OnModuleInit {
  private readonly logger = new Logger(KeyDirectoryService.name);
  private rootKey: Uint8Array | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly audit: AuditLog,
    private readonly directories: KeyDirectoryRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await cryptoReady();
    const configured = this.config.intake.directoryRootPublicKey;
    this.rootKey = configured ? fromB64uExact(configured, 32, 'DIRECTORY_ROOT_PUBLIC_KEY') : null;
    if (!this.rootKey && this.config.env === 'production') {
      this.logger.warn(
        'DIRECTORY_ROOT_PUBLIC_KEY is not set: no key directory can be published, so no report can be accepted',
      );
    }
  }

  /** The directory with the highest serial, or null before the first upload. */
  async current(): Promise<CurrentDirectory | null> {
    const row = await this.directories.latest(this.dataSource.manager);
    return row
      ? {
          serial: String(row.serial),
          document: row.document,
          intakeKids: row.intake_kids,
          expiresAt: row.expires_at,
        }
      : null;
  }

  /**
   * Verifies and stores a new directory. Re-uploading the current document is a no-op (retries);
   * any other document must carry a higher serial.
   */
  async publish(
    document: unknown,
    publishedBy: string | null,
    now = new Date(),
  ): Promise<{ serial: string; created: boolean }> {
    if (!this.rootKey) {
      throw conflict(
        IntakeReason.DirectoryNoRootKey,
        'No directory root key is configured (DIRECTORY_ROOT_PUBLIC_KEY)',
      );
    }
    const rootKey = this.rootKey;
    let payload;
    try {
      payload = verifyDirectory(document, rootKey, { now, deploymentId: this.config.deploymentId });
    } catch (error) {
      if (error instanceof DirectoryError) {
        throw badRequest(`${IntakeReason.DirectoryRejected}`, `Key directory rejected: ${error.reason}`, [
          { path: 'directory', message: error.reason },
        ]);
      }
      throw error;
    }
    const doc = document as SignedDirectory;
    const stored: SignedDirectory = { v: 1, payload: doc.payload, sig: doc.sig };
    return this.dataSource.transaction(async (manager) => {
      // One publisher at a time: the serial comparison and the insert must see the same state.
      await this.directories.lockForPublish(manager);
      const top = await this.directories.latest(manager);
      if (top && Number(top.serial) === payload.serial) {
        if (top.document.payload === stored.payload && top.document.sig === stored.sig)
          return { serial: String(top.serial), created: false };
        throw conflict(
          IntakeReason.DirectorySerialConflict,
          'A different directory with this serial is already published',
          [{ path: 'directory.serial', message: 'must be higher than the current serial' }],
        );
      }
      if (top && Number(top.serial) > payload.serial) {
        throw conflict(
          IntakeReason.DirectorySerialConflict,
          'The serial must be higher than the current one',
          [{ path: 'directory.serial', message: 'must be higher than the current serial' }],
        );
      }
      await this.directories.insert(manager, {
        serial: payload.serial,
        document: stored,
        intakeKids: payload.intake.map((e) => e.kid),
        expiresAt: payload.expiresAt,
        publishedBy,
      });
      await this.audit.append(manager, {
        actorType: publishedBy ? 'staff' : 'system',
        actorId: publishedBy,
        action: 'keys.directory_published',
        targetType: 'key_directory',
        targetId: String(payload.serial),
        details: { intakeKeys: payload.intake.length },
      });
      return { serial: String(payload.serial), created: true };
    });
  }
}
