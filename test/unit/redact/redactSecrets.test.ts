// The secrets the issue found leaking: URL credentials of any scheme, webhook URLs, password-ish
// names (pwd, user_pass, DB_PASS, PGPASSWORD, MYSQL_PWD) and known values (environment secrets, the
// API key) in any of the forms a program may print them in.
import { describe, expect, it } from 'vitest';
import { learnSecrets } from '../../../src/core/redact/learnSecrets';
import { buildPrompt } from '../../../src/core/model/prompt';
import { passwordLooking, redact, secretNameKind } from '../../../src/core/redact/redact';
import { envSecrets, isSecretEnvName, secretVariants } from '../../../src/core/redact/secretValues';

const r = (text: string, secrets?: string[]): string => redact(text, { secrets }).text;

describe('credentials in URLs', () => {
  it.each([
    [
      'postgres://app:Tr0ub4dor@db.internal:5432/shop',
      'postgres://app:<redacted>@db.internal:5432/shop',
    ],
    [
      'postgresql+psycopg2://app:pa55w0rd@localhost/shop',
      'postgresql+psycopg2://app:<redacted>@localhost/shop',
    ],
    [
      'https://deploy:hunter2hunter2@git.example.com/repo.git',
      'https://deploy:<redacted>@git.example.com/repo.git',
    ],
    ['redis://:s3cretRedis@cache:6379/0', 'redis://:<redacted>@cache:6379/0'],
    [
      'mongodb+srv://admin:M0ngoPass!@cluster0.ab1cd.mongodb.net/test?retryWrites=true',
      'mongodb+srv://admin:<redacted>@cluster0.ab1cd.mongodb.net/test?retryWrites=true',
    ],
    ['amqp://guest:guest@rabbit/', 'amqp://guest:<redacted>@rabbit/'],
    [
      'https://ghp1234567890abcdefghij@github.com/org/repo',
      'https://<redacted>@github.com/org/repo',
    ],
  ])('%s', (url, out) => {
    expect(r(`DSN = "${url}"`)).toBe(`DSN = "${out}"`);
    expect(r(`  # (3) url='${url}'; n=1`)).toBe(`  # (3) url='${out}'; n=1`);
  });

  it('a ParseResult repr: the netloc string keeps the user and host', () => {
    const repr =
      "ParseResult(scheme='postgres', netloc='app:Tr0ub4dor@db.internal:5432', path='/shop', params='', query='', fragment='')";
    expect(r(repr)).toBe(
      "ParseResult(scheme='postgres', netloc='app:<redacted>@db.internal:5432', path='/shop', params='', query='', fragment='')",
    );
  });

  it('leaves placeholders and URLs without credentials alone', () => {
    for (const t of [
      'postgres://user:%s@host/db',
      'https://user:${PASS}@host',
      "'%s:%s@%s' % (u, p, h)",
      'https://example.com/a?b=c',
      'git@github.com:org/repo.git',
      'mailto:someone@example.com',
      'http://user:****@host',
    ]) {
      expect(r(t)).toBe(t);
    }
  });

  it('webhook URLs and signed query values', () => {
    expect(
      r('HOOK = "https://hooks.slack.com/services/T0001ABCD/B0002EFGH/abcdefghijklmnopqrstuvwx"'),
    ).toBe('HOOK = "https://hooks.slack.com/services/<redacted>"');
    expect(
      r('url = "https://discord.com/api/webhooks/123456789012345678/AbC-dEf_123456789xyz"'),
    ).toBe('url = "https://discord.com/api/webhooks/123456789012345678/<redacted>"');
    expect(
      r('https://contoso.webhook.office.com/webhookb2/aaaa-bbbb@cccc/IncomingWebhook/dddd/eeee'),
    ).toBe('https://contoso.webhook.office.com/webhookb2/<redacted>');
    expect(
      r(
        'https://bucket.s3.amazonaws.com/k?X-Amz-Credential=AKIDEXAMPLE%2F2024&X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
      ),
    ).toBe(
      'https://bucket.s3.amazonaws.com/k?X-Amz-Credential=<redacted>&X-Amz-Signature=<redacted>',
    );
    expect(r('https://acct.blob.core.windows.net/c/f?sv=2021-08-06&sig=Zm9vYmFyYmF6cXV4%3D')).toBe(
      'https://acct.blob.core.windows.net/c/f?sv=2021-08-06&sig=<redacted>',
    );
  });
});

describe('password names', () => {
  it.each(['pwd', 'user_pass', 'db_pass', 'userPass', 'admin_pw'])(
    '%s: only password-looking values',
    (name) => expect(secretNameKind(name)).toBe('password'),
  );
  it.each(['DB_PASS', 'MYSQL_PWD', 'PGPASSWORD', 'dbpassword', 'SMTP_PASSWD'])(
    '%s: any value',
    (name) => expect(secretNameKind(name)).toBe('strong'),
  );

  it('redacts high-entropy values under pwd/user_pass, keeps paths, words and code', () => {
    expect(r("pwd = 'Xk9#mq2!Lp'")).toBe("pwd = '<redacted>'");
    expect(r("  # (2) user_pass='hU8$kd92Ja'; user='bob'")).toBe(
      "  # (2) user_pass='<redacted>'; user='bob'",
    );
    expect(r("pwd = '/home/bob/project'")).toBe("pwd = '/home/bob/project'");
    expect(r('pwd = os.getcwd()')).toBe('pwd = os.getcwd()');
    expect(r("first_pass = 'done'")).toBe("first_pass = 'done'");
    expect(r('DB_PASS=hunter2')).toBe('DB_PASS=<redacted>');
    expect(r('PGPASSWORD=hunter2 psql -h db')).toBe('PGPASSWORD=<redacted> psql -h db');
    expect(r("MYSQL_PWD = 'plainword'")).toBe("MYSQL_PWD = '<redacted>'");
    expect(passwordLooking('correcthorse')).toBe(false);
    expect(passwordLooking('C0rrect-Horse')).toBe(true);
  });
});

describe('known secret values (environment, API key)', () => {
  const env = {
    PGPASSWORD: 'Tr0ub4dor&3x',
    MYSQL_PWD: 'mysqlpass42',
    DB_PASS: 'plain-but-long',
    OPENAI_API_KEY: 'sk-proj-abc123def456ghi789',
    SERVICE_TOKEN: 'tok_live_5f4dcc3b5aa7',
    PWD: '/home/bob/project',
    SSH_AUTH_SOCK: '/tmp/ssh-XXXX/agent.1',
    HOME: '/home/bob',
    DEBUG: 'true',
    API_KEY_FILE: '/etc/key',
    SHORT_TOKEN: 'abc',
  };

  it('takes the values of secret-named variables only', () => {
    expect(isSecretEnvName('PGPASSWORD')).toBe(true);
    expect(isSecretEnvName('MYSQL_PWD')).toBe(true);
    expect(isSecretEnvName('PWD')).toBe(false);
    expect(envSecrets(env).sort()).toEqual(
      [
        'Tr0ub4dor&3x',
        'mysqlpass42',
        'plain-but-long',
        'sk-proj-abc123def456ghi789',
        'tok_live_5f4dcc3b5aa7',
      ].sort(),
    );
  });

  it('finds a value under any name, in output, and in base64 / hex / URL-encoded form', () => {
    const secrets = envSecrets(env);
    const pw = env.PGPASSWORD;
    const b64 = Buffer.from(pw).toString('base64');
    const inner = Buffer.from(`user=bob;pw=${pw};x=1`).toString('base64');
    const text = [
      `    conf = {'p': '${pw}'}  # (3) conf={'p': '${pw}'}`,
      `connected with ${env.MYSQL_PWD}`,
      `token: ${b64}`,
      `blob: ${inner}`,
      `urlsafe: ${Buffer.from(`__${pw}`).toString('base64url')}`,
      `hex: ${Buffer.from(env.DB_PASS).toString('hex')}`,
      `HEX: ${Buffer.from(env.DB_PASS).toString('hex').toUpperCase()}`,
      `url: ${encodeURIComponent(pw)}`,
      `key=${env.OPENAI_API_KEY}`,
    ].join('\n');
    const out = r(text, secrets);
    for (const s of secrets) {
      expect(out).not.toContain(s);
      for (const v of secretVariants(s)) expect(out).not.toContain(v);
    }
    expect(out).toContain("conf = {'p': '<redacted>'}");
    expect(out).toContain('connected with <redacted>');
    expect(out).toContain('token: <redacted>');
    // Inside a longer base64 string the secret's own characters go.
    expect(out).not.toContain(inner);
  });

  it('without known values nothing of this kind is touched; short values are never searched for', () => {
    expect(r('hello plain-but-long world')).toBe('hello plain-but-long world');
    expect(r('abc abc', ['abc'])).toBe('abc abc');
  });
});

describe('learned secrets', () => {
  it('a value a rule finds in the code is removed where no rule would see it, in the same prompt', () => {
    const code = 'DSN = "postgres://app:Url-Pa55word-77@db/shop"\nDB_PASSWORD = "hunter2hunter2"\n';
    expect(learnSecrets([code]).sort()).toEqual(['Url-Pa55word-77', 'hunter2hunter2']);
    const built = buildPrompt({
      files: [{ path: 'm.py', text: code }],
      command: 'pytest',
      error: 'printed: Url-Pa55word-77 aHVudGVyMmh1bnRlcjI=',
    });
    const user = built.request.messages[1]?.content ?? '';
    expect(user).not.toContain('Url-Pa55word-77');
    expect(user).not.toContain('aHVudGVyMmh1bnRlcjI');
    expect(user).toContain('printed: <redacted> <redacted>');
    expect(built.learned.sort()).toEqual(['Url-Pa55word-77', 'hunter2hunter2']);
  });

  it('plain words, placeholders and short values are not learned', () => {
    expect(
      learnSecrets(['password = "development"\nsecret = "%s"\napi_key = "abc"\ntoken = "Xy7"']),
    ).toEqual([]);
  });
});
