/**
 * Schema history, oldest first. Never edit a migration that has shipped: databases already
 * recorded it as applied, so changes go into a new entry with the next version number.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        name TEXT,
        username TEXT,
        password TEXT,
        email_verified INTEGER NOT NULL DEFAULT 0,
        avatar TEXT,
        provider TEXT NOT NULL,
        role TEXT NOT NULL,
        google_id TEXT,
        facebook_id TEXT,
        github_id TEXT,
        discord_id TEXT,
        openid_id TEXT,
        openid_issuer TEXT,
        id_on_the_source TEXT,
        two_factor_enabled INTEGER NOT NULL DEFAULT 0,
        terms_accepted INTEGER NOT NULL DEFAULT 0,
        expires_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX users_email_uq ON users (email);
      CREATE UNIQUE INDEX users_google_id_uq ON users (google_id) WHERE google_id IS NOT NULL;
      CREATE UNIQUE INDEX users_facebook_id_uq ON users (facebook_id) WHERE facebook_id IS NOT NULL;
      CREATE UNIQUE INDEX users_github_id_uq ON users (github_id) WHERE github_id IS NOT NULL;
      CREATE UNIQUE INDEX users_discord_id_uq ON users (discord_id) WHERE discord_id IS NOT NULL;
      -- NULL issuers would never collide in a plain unique index; '' makes them one value.
      CREATE UNIQUE INDEX users_openid_id_uq ON users (openid_id, coalesce(openid_issuer, ''))
        WHERE openid_id IS NOT NULL;
      CREATE INDEX users_expires_at_ix ON users (expires_at) WHERE expires_at IS NOT NULL;
      CREATE INDEX users_created_at_ix ON users (created_at, id);

      -- No foreign keys to users: the MongoDB adapter cannot enforce them, and both adapters
      -- must accept the same inputs.
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        previous_token_hash TEXT,
        rotated_at INTEGER,
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL,
        user_agent TEXT,
        ip TEXT,
        provider TEXT
      );
      CREATE INDEX sessions_token_hash_ix ON sessions (token_hash);
      CREATE INDEX sessions_previous_token_hash_ix ON sessions (previous_token_hash)
        WHERE previous_token_hash IS NOT NULL;
      CREATE INDEX sessions_user_id_ix ON sessions (user_id);
      CREATE INDEX sessions_expires_at_ix ON sessions (expires_at);

      CREATE TABLE one_time_tokens (
        id TEXT PRIMARY KEY,
        user_id TEXT,
        email TEXT,
        type TEXT NOT NULL,
        identifier TEXT,
        token_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        metadata TEXT
      );
      CREATE INDEX one_time_tokens_token_hash_ix ON one_time_tokens (token_hash);
      CREATE INDEX one_time_tokens_user_type_ix ON one_time_tokens (user_id, type);
      CREATE INDEX one_time_tokens_email_type_ix ON one_time_tokens (email, type);
      CREATE INDEX one_time_tokens_expires_at_ix ON one_time_tokens (expires_at);

      CREATE TABLE violations (
        subject TEXT NOT NULL,
        type TEXT NOT NULL,
        score REAL NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (subject, type)
      ) WITHOUT ROWID;
      CREATE INDEX violations_expires_at_ix ON violations (expires_at);

      CREATE TABLE bans (
        subject TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        reason TEXT,
        violation_count INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        user_id TEXT
      ) WITHOUT ROWID;
      CREATE INDEX bans_expires_at_ix ON bans (expires_at);

      CREATE TABLE kv (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX kv_expires_at_ix ON kv (expires_at);

      CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        available_at INTEGER NOT NULL,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX outbox_status_available_ix ON outbox (status, available_at);

      CREATE TABLE idp_tokens (
        user_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        sealed TEXT NOT NULL,
        expires_at INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, provider)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'store-wide markers (the store has had an account)',
    // The first-user role goes to the first account a store EVER holds, not to whoever registers
    // while the table happens to be empty (PW-12). A database that already has accounts gets the
    // marker now.
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT,
        created_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO meta (key, value, created_at)
        SELECT 'has-had-account', NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000
        WHERE EXISTS (SELECT 1 FROM users);
    `,
  },
  {
    version: 3,
    name: 'two-factor authentication',
    // On the users row, so deleting an account removes its second factor with it. Backup codes
    // are JSON arrays in LibreChat's element shape {codeHash, used, usedAt}.
    sql: `
      ALTER TABLE users ADD COLUMN totp_secret TEXT;
      ALTER TABLE users ADD COLUMN backup_codes TEXT;
      ALTER TABLE users ADD COLUMN pending_totp_secret TEXT;
      ALTER TABLE users ADD COLUMN pending_backup_codes TEXT;
      ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
    `,
  },
  {
    version: 4,
    name: 'outbox lease owner',
    // Who holds a claim, so only that sender renews it while a send is in flight (RL-13).
    sql: `ALTER TABLE outbox ADD COLUMN lease_owner TEXT;`,
  },
  {
    // Issue 20: LibreChat's `ldapId` and `appleId`, each unique when present.
    version: 5,
    name: 'ldap and apple identities',
    sql: `
      ALTER TABLE users ADD COLUMN ldap_id TEXT;
      ALTER TABLE users ADD COLUMN apple_id TEXT;
      CREATE UNIQUE INDEX users_ldap_id_uq ON users (ldap_id) WHERE ldap_id IS NOT NULL;
      CREATE UNIQUE INDEX users_apple_id_uq ON users (apple_id) WHERE apple_id IS NOT NULL;
    `,
  },
  {
    version: 6,
    name: 'users.saml_id (SAML NameID, LibreChat samlId)',
    sql: `
      ALTER TABLE users ADD COLUMN saml_id TEXT;
      CREATE UNIQUE INDEX users_saml_id_uq ON users (saml_id) WHERE saml_id IS NOT NULL;
    `,
  },
  {
    version: 7,
    name: 'balances (LibreChat token credits, issue 15)',
    // One row per user (the primary key), so parallel sign-ins cannot create two. Numbers are REAL
    // because LibreChat's fields are plain Numbers. token_credits may be NULL: a record LibreChat
    // left without credits gets the start balance at the next sign-in.
    sql: `
      CREATE TABLE balances (
        user_id TEXT PRIMARY KEY,
        token_credits REAL,
        auto_refill_enabled INTEGER NOT NULL DEFAULT 0,
        refill_interval_value REAL NOT NULL DEFAULT 30,
        refill_interval_unit TEXT NOT NULL DEFAULT 'days',
        last_refill INTEGER,
        refill_amount REAL NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    // Issue 21: passkeys. Deleting an account removes its passkeys (foreign key), and a credential
    // id is unique across all users (PK-06).
    version: 8,
    name: 'passkeys (WebAuthn credentials)',
    sql: `
      CREATE TABLE passkeys (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        credential_id TEXT NOT NULL UNIQUE,
        public_key TEXT NOT NULL,
        counter INTEGER NOT NULL,
        transports TEXT NOT NULL,
        name TEXT NOT NULL,
        user_handle TEXT NOT NULL,
        backed_up INTEGER NOT NULL,
        flagged_at INTEGER,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER
      );
      CREATE INDEX passkeys_user_idx ON passkeys (user_id, created_at);
    `,
  },
  {
    // Issue 22: the audit trail. `seq` orders events of one millisecond; `at` is epoch ms.
    version: 9,
    name: 'audit trail',
    sql: `
      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL,
        at INTEGER NOT NULL,
        user_id TEXT,
        actor_id TEXT,
        ip TEXT,
        user_agent TEXT,
        request_id TEXT,
        method TEXT,
        provider TEXT,
        reason TEXT,
        details TEXT NOT NULL
      );
      CREATE INDEX audit_events_at_ix ON audit_events (at, seq);
      CREATE INDEX audit_events_user_ix ON audit_events (user_id, at, seq);
      CREATE INDEX audit_events_type_ix ON audit_events (type, at, seq);
    `,
  },
  {
    // Issue 22: accounts an administrator disabled (users/account-standing.ts).
    version: 14,
    name: 'users.disabled',
    sql: `ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;`,
  },
];
