export * from './entities';
export { migrations } from './migrations';
export {
  createDataSource,
  dataSourceOptions,
  migrate,
  pendingSchemaChanges,
  type DbSettings,
} from './data-source';
export { ensureDatabase, pingServer } from './server.repository';
export { DbModule } from './db.module';
export { SnakeNamingStrategy } from './naming.strategy';
export { prepared } from './prepared';
export { isDependencyOutage } from './outage';
export { TABLE_OWNERS, type OwnedTable } from './table-owners';
