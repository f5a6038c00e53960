import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { dataSourceOptions } from './data-source';

/** The one TypeORM DataSource of a process, from the validated config. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [PANAH_CONFIG],
      useFactory: (config: PanahConfig) =>
        dataSourceOptions({ url: config.db.url, poolSize: config.db.poolSize, applicationName: 'panah' }),
    }),
  ],
})
export class DbModule {}
