import { loggableError } from './logging';

describe('loggableError', () => {
  it('keeps the class, the database code and the stack frames, never the message', () => {
    const error = Object.assign(
      new Error(
        'null value in column "name" violates not-null constraint. Failing row contains (secret-team, hunter2)',
      ),
      {
        name: 'QueryFailedError',
        driverError: { code: '23502' },
      },
    );
    const logged = loggableError(error);
    expect(logged).toMatchObject({ name: 'QueryFailedError', code: '23502' });
    expect(JSON.stringify(logged)).not.toContain('hunter2');
    expect(JSON.stringify(logged)).not.toContain('secret-team');
    expect(logged.frames).toMatch(/^at /);
  });

  it('describes a thrown non-error by its type only', () => {
    expect(loggableError('a submitted value')).toEqual({ name: 'string' });
  });
});
