// Secrets known by VALUE: the values of environment variables whose names look secret (PASSWORD,
// PGPASSWORD, MYSQL_PWD, DB_PASS, *_TOKEN, *_KEY, *_SECRET, CREDENTIALS…) and the user's model API
// key. A program can print such a value, put it in a variable, or encode it — so each value is
// searched for as is and in the forms code commonly turns it into: base64 (standard and URL-safe, at
// any byte alignment, so it is found inside a longer encoded string), hex, URL/form encoding and
// Python's repr escaping.

/** Shorter values are too likely to occur in ordinary text to be replaced everywhere. */
export const MIN_SECRET_LENGTH = 6;
/** Encoded forms shorter than this are not searched for (a few base64 characters match by chance). */
const MIN_VARIANT_LENGTH = 8;

const SECRET_WORDS = new Set([
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASS',
  'PWD',
  'PW',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'KEY',
  'KEYS',
  'APIKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'AUTH',
  'PRIVATE',
  'SIGNATURE',
  'SALT',
  'SESSION',
  'COOKIE',
  'PASSPHRASE',
  'DSN',
  'CONNSTR',
  'WEBHOOK',
]);
/** Variables that hold paths, sockets or shell state, not secrets, though their names match. */
const NOT_SECRET = new Set([
  'PWD',
  'OLDPWD',
  'SSH_AUTH_SOCK',
  'GPG_AGENT_INFO',
  'XAUTHORITY',
  'KEYTIMEOUT',
  'GNOME_KEYRING_CONTROL',
]);
const PATHLIKE_SUFFIX =
  /_(?:FILE|PATH|DIR|SOCK|SOCKET|HOME|TYPE|ID_FILE|LENGTH|SIZE|TIMEOUT|NAME)$/;

/** Does an environment variable's name say its value is secret? */
export function isSecretEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  if (NOT_SECRET.has(upper) || PATHLIKE_SUFFIX.test(upper)) return false;
  const words = upper.split(/[^A-Z0-9]+/).filter(Boolean);
  // PGPASSWORD, DBPASSWD, MYSECRET, GITHUBTOKEN: the secret word glued to a prefix.
  return words.some(
    (w) => SECRET_WORDS.has(w) || /(?:PASSWORD|PASSWD|SECRET|TOKEN|APIKEY)$/.test(w),
  );
}

const NOT_A_SECRET_VALUE =
  /^(?:true|false|yes|no|on|off|none|null|undefined|enabled|disabled|\d{1,9})$/i;

/** Values of secret-named variables that are long and specific enough to search for. */
export function envSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  const out = new Set<string>();
  for (const [name, raw] of Object.entries(env)) {
    const value = raw?.trim();
    if (!value || !isSecretEnvName(name)) continue;
    if (value.length < MIN_SECRET_LENGTH || NOT_A_SECRET_VALUE.test(value)) continue;
    out.add(value);
  }
  return [...out];
}

/** Everything a fix run must keep from the model: secret env values of the run plus `extra`. */
export function knownSecrets(opts: {
  secrets?: readonly string[];
  recordOptions: {
    env?: Readonly<Record<string, string | undefined>>;
    programEnv?: Readonly<Record<string, string>>;
  };
}): string[] {
  const env = { ...(opts.recordOptions.env ?? process.env), ...opts.recordOptions.programEnv };
  const extra = (opts.secrets ?? []).filter((s) => s.length >= MIN_SECRET_LENGTH);
  return [...new Set([...envSecrets(env), ...extra])];
}

function base64Variants(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const enc = Buffer.concat([Buffer.alloc(k), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    // Characters that depend only on the secret's bytes: skip those mixed with what precedes it,
    // and the last one when it is mixed with what follows.
    const first = Math.ceil((8 * k) / 6);
    const last = Math.floor((8 * (k + bytes.length)) / 6);
    const core = enc.slice(first, last);
    if (core.length < MIN_VARIANT_LENGTH) continue;
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/** The value and the encoded forms it is searched for in. */
export function secretVariants(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = new Set<string>([value]);
  const uri = encodeURIComponent(value);
  forms.add(uri);
  forms.add(uri.replace(/%20/g, '+'));
  // Python's urllib.parse.quote leaves `/` alone; quote_plus does not.
  forms.add(uri.replace(/%2F/gi, '/'));
  if (value.includes('\\')) forms.add(value.replace(/\\/g, '\\\\'));
  const hex = bytes.toString('hex');
  forms.add(hex);
  forms.add(hex.toUpperCase());
  for (const b of base64Variants(bytes)) forms.add(b);
  return [...forms].filter((f) => f === value || f.length >= MIN_VARIANT_LENGTH);
}
