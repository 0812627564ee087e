import { describe, expect, it } from 'vitest';
import {
  looksLikeRandomToken,
  redact,
  restoreRedacted,
  secretNameKind,
} from '../../../src/core/redact/redact';

function r(text: string): string {
  return redact(text).text;
}

describe('secret names', () => {
  it.each([
    'api_key',
    'API_KEY',
    'apiKey',
    'ApiKey',
    'x-api-key',
    'password',
    'db_password',
    'passwd',
    'secret',
    'client_secret',
    'clientSecret',
    'AWS_SECRET_ACCESS_KEY',
    'auth_token',
    'access_token',
    'refresh_token',
    'GITHUB_TOKEN',
    'credentials',
    'auth',
    'http_auth',
    'auth_header',
    'Authorization',
    'private_key',
    'jwt',
    'session_token',
    'api_keys',
  ])('%s is a strong secret name', (name) => expect(secretNameKind(name)).toBe('strong'));

  it.each(['token', 'key', 'TOKEN', 'Key'])('%s is weak', (name) =>
    expect(secretNameKind(name)).toBe('weak'),
  );

  it.each([
    'tokens',
    'max_tokens',
    'token_count',
    'next_token',
    'num_tokens',
    'sort_key',
    'keys',
    'keyword',
    'monkey',
    'author',
    'authors',
    'authenticated',
    'auth_type',
    'primary_key',
    'cache_key',
    'total',
    'line',
    'second_pass_for_fix',
    'MODULE_PWD_STATE',
    'bypass',
    'compass',
  ])('%s is not a secret name', (name) => expect(secretNameKind(name)).toBe(false));
});

describe('redact: values bound to secret names', () => {
  it('keeps the quotes of string literals in source and counts each value', () => {
    const out = redact(`api_key = "sk-x"\nDB_PASSWORD = 'hunter2'\nuser = 'bob'\n`);
    expect(out.text).toBe(`api_key = "<redacted>"\nDB_PASSWORD = '<redacted>'\nuser = 'bob'\n`);
    expect(out.count).toBe(2);
  });

  it('redacts keyword arguments and defaults, but not variables passed along', () => {
    expect(
      r(
        `def login(user, password: str = "hunter2", token=None):\n    return connect(password=password, api_key=self.api_key)`,
      ),
    ).toBe(
      `def login(user, password: str = "<redacted>", token=None):\n    return connect(password=password, api_key=self.api_key)`,
    );
  });

  it('redacts NExT trace comments and reprs', () => {
    const line = `    resp = call(cfg)  # (4) cfg={'api_key': 'abc', 'retries': 3}; (5) self.secret='s3cr3t'; client=Client(token='zq81Xk29pL', timeout=5)`;
    expect(r(line)).toBe(
      `    resp = call(cfg)  # (4) cfg={'api_key': '<redacted>', 'retries': 3}; (5) self.secret='<redacted>'; client=Client(token='<redacted>', timeout=5)`,
    );
  });

  it('redacts every string inside a tuple/dict bound to a secret name, keeping its shape', () => {
    expect(r(`session.auth = ('bob', 'pw1')`)).toBe(`session.auth = ('<redacted>', '<redacted>')`);
    expect(r(`CREDENTIALS = {\n    "user": "bob",\n    "pass": "x"\n}\nnext_line = 1`)).toBe(
      `CREDENTIALS = {\n    "user": "<redacted>",\n    "pass": "<redacted>"\n}\nnext_line = 1`,
    );
  });

  it('handles env lines, CLI flags, headers and comparisons', () => {
    expect(r(`OPENAI_API_KEY=abcdef python fix.py --password hunter2 --api-key=xyz`)).toBe(
      `OPENAI_API_KEY=<redacted> python fix.py --password <redacted> --api-key=<redacted>`,
    );
    expect(r(`X-Api-Key: k29XpQ81\nif password == 'letmein':`)).toBe(
      `X-Api-Key: <redacted>\nif password == '<redacted>':`,
    );
    expect(r(`os.environ['API_KEY'] = 'abc'`)).toBe(`os.environ['API_KEY'] = '<redacted>'`);
  });

  it('leaves annotations, None/True/False, empty strings, calls and attribute paths alone', () => {
    const code = [
      'password: Optional[str] = None',
      'secret_key: str',
      "api_key = os.environ['OPENAI_API_KEY']",
      'token = get_token()',
      'auth_enabled = True',
      "password = ''",
      'self.api_key = api_key',
      'access_token = args.access_token',
    ].join('\n');
    expect(redact(code)).toEqual({ text: code, count: 0, found: [], named: [] });
  });

  it('redacts weak names only when the value looks like a credential', () => {
    const line = `# (2) token='while'; key='name'; (3) token='a8f3kd92lq'; key='user_1'`;
    expect(r(line)).toBe(`# (2) token='while'; key='name'; (3) token='<redacted>'; key='user_1'`);
  });

  it('does not touch the value twice when a key format also matches', () => {
    const out = redact(`api_key = "sk-proj-Abcdefghij1234567890XYZ"`);
    expect(out).toEqual({
      text: `api_key = "<redacted>"`,
      count: 1,
      found: ['sk-proj-Abcdefghij1234567890XYZ'],
      named: ['sk-proj-Abcdefghij1234567890XYZ'],
    });
  });
});

describe('redact: key formats anywhere', () => {
  it.each([
    ['OpenAI key', 'sk-proj-Ab3dEfGh1jKlMnOpQrStUvWx'],
    ['Anthropic key', 'sk-ant-api03-AbCdEf123456GhIjKl789'],
    ['GitHub classic token', 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'],
    ['GitHub OAuth token', 'gho_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'],
    [
      'GitHub fine-grained PAT',
      'github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMN',
    ],
    ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['Slack bot token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp'],
    ['Google API key', 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'],
    ['Stripe secret key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    ['Hugging Face token', 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567'],
    [
      'JWT',
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ],
    ['AWS-style secret (generic high entropy)', 'j8Kq2+Xz9mR4/tLw7NvB3pYc6HdF1sGe5aUo0iWy'],
    ['random base62', 'Zx81QpLm27NvTr40KsWd93Jh'],
  ])('%s', (_label, secret) => {
    const text = `print("connecting with", ${JSON.stringify(secret)}) -> value ${secret}.`;
    const out = redact(text);
    expect(out.text).not.toContain(secret);
    expect(out.text).toBe(`print("connecting with", "<redacted>") -> value <redacted>.`);
    expect(out.count).toBe(2);
  });

  it('keeps the scheme of bearer and basic credentials', () => {
    expect(
      r(`headers = {"X": "Bearer abcDEF123456ghiJKL"}\nAuthorization: Basic dXNlcjpwYXNzd29yZA==`),
    ).toBe(`headers = {"X": "Bearer <redacted>"}\nAuthorization: Basic <redacted>`);
  });

  it('redacts PEM private key blocks, also escaped inside a repr', () => {
    const pem =
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Ll\nqW1yXz9==\n-----END RSA PRIVATE KEY-----';
    expect(r(`before\n${pem}\nafter`)).toBe('before\n<redacted>\nafter');
    expect(
      r(`# (1) pem='-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC'; n=1`),
    ).toBe(`# (1) pem='<redacted>'; n=1`);
  });
});

describe('redact: ordinary code survives unchanged', () => {
  it('keeps paths through temporary folders with mixed-case random names, not keys kept in paths', () => {
    // mkdtemp's six random characters joined to the words around them once read as a key (1 in 16).
    for (const dir of ['B4p0Ks', 'bk6X4b', 'c7P5PZ', 'C6h1sS']) {
      const t = `record_baseline: /tmp/tfx-mcp-compare-${dir}/elsewhere/test_fmt.py is outside /tmp/tfx-mcp-compare-${dir}/ws.`;
      expect(redact(t).text).toBe(t);
    }
    const kept = '/home/ann/.config/tool/Zx81QpLm27NvTr40KsWd93Jh/creds';
    const inPath = redact(`open('${kept}')`);
    expect(inPath.text).not.toContain('Zx81QpLm27NvTr40KsWd93Jh');
    expect(inPath.text).toContain('/home/ann/');
    // A base64 key that happens to start with a slash is not a path.
    expect(redact("k = '/j8Kq2+Xz9mR4/tLw7NvB3pYc6HdF1sGe5aUo0iWy'").count).toBe(1);
  });

  it('keeps a tokenizer, dict loops, hashes, uuids, paths and long identifiers', () => {
    const code = [
      'def tokenize(line):',
      "    tokens = line.split()  # (1) tokens=['x', '=', '1']",
      "    for token in tokens:  # (2) token='x'; (5) token='while'",
      '        max_tokens = 4096',
      '        next_token = peek()',
      "    for key, value in d.items():  # (7) key='name'; value='Ann'",
      '        keys.append(key)',
      "    sha = 'da39a3ee5e6b4b0d3255bfef95601890afd80709'",
      "    uid = '123e4567-e89b-12d3-a456-426614174000'",
      "    path = '/usr/lib/python3.11/site-packages/debugpy/_vendored/pydevd'",
      '    def test_parse_ISO8601_dates_with_timezone_offsets(): pass',
      '    class AbstractSingletonProxyFactoryBean123: pass',
      "    author = 'Bearer of bad news'",
      '    print("The password is checked by the server")',
      "    data = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'",
      '    n = 12345678901234567890123',
      '    # see http://www.apache.org/licenses/LICENSE-2.0 and https://docs.google.com/document/d/1CCSaRiIWCLgbD3OwmuKsRoHHDfBffbROWyVWWL0ZXN4/edit',
      '    # src/compiler/transformers/es2017.ts',
      "    CLIENT_KEY_EXCHANGE = 16; SERVER_AUTH = '1.3.6.1.5.5.7.3.1'; cfg = {'HAVE_STRUCT_PASSWD_PW_GECOS': 1}",
      "    def getpass(prompt='Password: ', stream=None): pass",
      "    fmt = 'AUTH=%s' % mech  # form AUTH=<mechanism>.",
      '    token_env = "API_TOKEN=$API_TOKEN"',
    ].join('\n');
    expect(redact(code)).toEqual({ text: code, count: 0, found: [], named: [] });
  });
});

describe('looksLikeRandomToken', () => {
  it('accepts random keys and rejects word-made identifiers', () => {
    for (const t of [
      'Zx81QpLm27NvTr40KsWd93Jh',
      'k2j4h6g8f0d1s3a5p7o9i2u4y6t8',
      'Q7ZP3K9X2M5N8B1V4C6L0J',
      'j8Kq2+Xz9mR4/tLw7NvB3pYc6HdF1sGe5aUo0iWy',
    ]) {
      expect(looksLikeRandomToken(t), t).toBe(true);
    }
    for (const t of [
      'getUserAccountBalance2023Quarter4',
      'MyVeryLongClassName2WithNumbers3',
      'HTTPServerRequestHandler2Factory',
      'abcdefghijklmnopqrstuvwxyz0123456789',
      'short12Ab',
    ]) {
      expect(looksLikeRandomToken(t), t).toBe(false);
    }
  });
});

describe('restoreRedacted', () => {
  it('puts the real value back when the model echoes a placeholder', () => {
    const original = 'API_KEY = "sk-real-value"\n\ndef f(x):\n    return x - 1\n';
    const model = 'API_KEY = "<redacted>"\n\ndef f(x):\n    return x + 1\n';
    expect(restoreRedacted(model, original)).toEqual({
      text: 'API_KEY = "sk-real-value"\n\ndef f(x):\n    return x + 1\n',
      unresolved: 0,
    });
  });

  it('restores with a different indentation and reports what it cannot restore', () => {
    const original = 'class C:\n    password = "pw"\n';
    const model = 'password = "<redacted>"\nnew_secret = "<redacted>"\n';
    expect(restoreRedacted(model, original)).toEqual({
      text: 'password = "pw"\nnew_secret = "<redacted>"\n',
      unresolved: 1,
    });
  });
});
