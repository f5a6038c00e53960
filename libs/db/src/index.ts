export * from './entities';
export { migrations } from './migrations';
export {
  createDataSource,
  dataSourceOptions,
  ensureDatabase,
  migrate,
  pendingSchemaChanges,
  type DbSettings,
} from './data-source';
export { DbModule } from './db.module';
export { SnakeNamingStrategy } from './naming.strategy';
export { prepared } from './prepared';
export { isDependencyOutage } from './outage';
export { TABLE_OWNERS, type OwnedTable } from './table-owners';
