import { Type } from 'class-transformer';
import { IsInt, IsString, Length, ValidateNested } from 'class-validator';
import { DomainError, ErrorCode } from '@panah/domain';
import { createValidationPipe } from './validation';

class Recipient {
  @IsString() @Length(22, 22) kid!: string;
}
class Envelope {
  @IsInt() v!: number;
  @ValidateNested({ each: true }) @Type(() => Recipient) recipients!: Recipient[];
}

describe('validation pipe', () => {
  const pipe = createValidationPipe();
  const run = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Envelope });

  it('names every bad field by its path, with array indexes', async () => {
    const error = await run({ v: 'one', recipients: [{ kid: 'x'.repeat(22) }, { kid: 'short' }] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.ValidationFailed);
    expect((error as DomainError).fields.map((f) => f.path)).toEqual(['v', 'recipients[1].kid']);
  });

  it('rejects unknown fields instead of silently dropping them', async () => {
    const error = (await run({ v: 1, recipients: [], extra: true }).catch((e: unknown) => e)) as DomainError;
    expect(error.fields.map((f) => f.path)).toEqual(['extra']);
  });

  it('never echoes the submitted value back', async () => {
    const error = (await run({ v: 'secret-canary', recipients: [] }).catch((e: unknown) => e)) as DomainError;
    expect(JSON.stringify(error.fields)).not.toContain('secret-canary');
  });
});
