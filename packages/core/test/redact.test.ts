import { describe, expect, it } from 'vitest';
import { redactError, redactText, redactUrl, urlSecrets } from '../src/redaction/redact.js';

describe('redactUrl: a connection URL safe to print', () => {
  it.each([
    ['postgres://user:secret@host/db', 'postgres://user:***@host/db'],
    ['postgresql://user:s%40cret@host:5433/db?sslmode=require', 'postgresql://user:***@host:5433/db?sslmode=require'],
    ['postgres://user@host/db', 'postgres://user@host/db'],
    ['postgres://h/d?sslmode=require&sslpassword=k&password=p', 'postgres://h/d?sslmode=require&sslpassword=***&password=***'],
    ['postgres://u:secret@h1:5432,h2:5432/db', 'postgres://u:***@h1:5432,h2:5432/db'],
    ['postgres://u:se/cr@t@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:secret@h/d#secret', 'postgres://u:***@h/d#***'],
    ['mysql://root:e@127.0.0.1:3306/db', 'mysql://root:***@127.0.0.1:3306/db'],
    ['sqlite:./data/nightcrier.db', 'sqlite:./data/nightcrier.db'],
    ['postgres://host/db?user=u&password=s3cret', 'postgres://host/db?user=u&password=***'],
    ['sqlite:///var/lib/nightcrier/state.db', 'sqlite:///var/lib/nightcrier/state.db'],
    [':memory:', ':memory:'],
  ])('%s → %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });
});

it('redactUrl masks passwords it cannot parse', () => {
  const masked = redactUrl('postgres://user:pa ss@wo rd@host/db');
  expect(masked).not.toContain('pa ss');
  expect(masked).not.toContain('wo rd');
});

describe('redactText: secrets masked whole, ordinary words left alone', () => {
  it('masks a one-character password in URL positions only, never inside words', () => {
    const url = 'postgres://alice:e@db.internal/app';
    const secrets = urlSecrets(url);
    const text = `failed to migrate up: could not connect to ${url}; retry later`;
    expect(redactText(text, secrets)).toBe('failed to migrate up: could not connect to postgres://alice:***@db.internal/app; retry later');
  });

  it('a password equal to the user name hides the password, not the user name', () => {
    const url = 'postgres://nightcrier:nightcrier@db/app';
    const secrets = urlSecrets(url);
    expect(secrets).toEqual([]);
    expect(redactText(`password authentication failed for user "nightcrier" at ${url}`, secrets)).toBe(
      'password authentication failed for user "nightcrier" at postgres://nightcrier:***@db/app',
    );
  });

  it('masks a long password wherever it stands alone, raw or decoded', () => {
    const secrets = urlSecrets('postgres://u:hunter%2A42@db/app');
    expect(secrets).toEqual(['hunter%2A42', 'hunter*42']);
    expect(redactText('the server said: "hunter*42" is wrong; also hunter%2A42', secrets)).toBe('the server said: "***" is wrong; also ***');
    // Inside a longer word it is not the password standing alone: left as it is.
    expect(redactText('xhunter*42y', secrets)).toBe('xhunter*42y');
  });

  it('masks password parameters of conninfo strings and URLs in free text', () => {
    expect(redactText('host=db password=topsecret user=u')).toBe('host=db password=*** user=u');
    expect(redactText('see mysql://root:pw@h/db and postgres://u:p@h/d')).toBe('see mysql://root:***@h/db and postgres://u:***@h/d');
  });

  it('redactError cleans message, stack and the cause chain in place', () => {
    const cause = new Error('inner hunter2-secret');
    const error = new AggregateError([new Error('refused postgres://u:hunter2-secret@h/d')], 'outer', { cause });
    redactError(error, ['hunter2-secret']);
    const text = `${error.message}${error.stack}${cause.message}${cause.stack}${(error.errors[0] as Error).message}`;
    expect(text).not.toContain('hunter2-secret');
  });
});
