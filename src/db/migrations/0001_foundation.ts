import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table customers (
      id text primary key,
      kind text not null check (kind in ('company', 'person')),
      name text not null,
      phone text,
      status text not null default 'active' check (status in ('active', 'suspended')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table users (
      id text primary key,
      email text not null,
      name text not null,
      password_hash text not null,
      role text not null check (role in ('importer', 'ops', 'finance', 'compliance', 'warehouse', 'admin')),
      customer_id text references customers(id),
      locale text not null default 'id' check (locale in ('id', 'en')),
      status text not null default 'active' check (status in ('active', 'disabled')),
      failed_login_count integer not null default 0,
      locked_until timestamptz,
      totp_secret_enc text,
      totp_enabled_at timestamptz,
      totp_last_step bigint,
      password_changed_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      -- an importer always belongs to a customer account; staff never do
      constraint users_importer_has_customer check ((role = 'importer') = (customer_id is not null))
    );
    create unique index users_email_key on users (lower(email));
    create index users_customer_idx on users (customer_id);

    create table sessions (
      id text primary key,
      token_hash text not null unique,
      user_id text not null references users(id),
      csrf_token text not null,
      mfa_state text not null check (mfa_state in ('complete', 'pending', 'enrolment_required')),
      ip text,
      user_agent text,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz
    );
    create index sessions_user_idx on sessions (user_id);

    create table recovery_codes (
      id text primary key,
      user_id text not null references users(id),
      code_hash text not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index recovery_codes_user_idx on recovery_codes (user_id);

    create table api_keys (
      id text primary key,
      customer_id text not null references customers(id),
      created_by_user_id text not null references users(id),
      name text not null,
      prefix text not null,
      key_hash text not null unique,
      scopes jsonb not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    create index api_keys_customer_idx on api_keys (customer_id);

    create table password_reset_tokens (
      id text primary key,
      user_id text not null references users(id),
      token_hash text not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );

    create table login_attempts (
      id bigserial primary key,
      email text not null,
      ip text,
      succeeded boolean not null,
      at timestamptz not null default now()
    );
    create index login_attempts_ip_idx on login_attempts (ip, at);

    create table audit_log (
      id text primary key,
      at timestamptz not null default now(),
      actor_type text not null check (actor_type in ('user', 'api_key', 'system')),
      actor_id text,
      action text not null,
      object_type text not null,
      object_id text,
      ip text,
      user_agent text,
      request_id text,
      data jsonb not null default '{}'
    );
    create index audit_log_object_idx on audit_log (object_type, object_id);
    create index audit_log_actor_idx on audit_log (actor_id);

    -- The audit log is append-only: the database itself refuses to change history.
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only' using errcode = 'P0001';
    end;
    $$;
    create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only();

    create table jobs (
      id text primary key,
      name text not null,
      payload jsonb not null default '{}',
      status text not null default 'pending' check (status in ('pending', 'running', 'done', 'dead')),
      attempts integer not null default 0,
      max_attempts integer not null default 10,
      run_at timestamptz not null default now(),
      locked_at timestamptz,
      locked_by text,
      last_error text,
      dedupe_key text unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      completed_at timestamptz
    );
    create index jobs_claim_idx on jobs (run_at) where status = 'pending';
    create index jobs_running_idx on jobs (locked_at) where status = 'running';

    create table job_schedules (
      name text primary key,
      job_name text not null,
      interval_seconds integer not null check (interval_seconds > 0),
      next_run_at timestamptz not null,
      last_run_at timestamptz
    );

    create table idempotency_keys (
      principal text not null,
      key text not null,
      request_hash text not null,
      status text not null check (status in ('in_progress', 'completed')),
      response_status integer,
      response_body jsonb,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (principal, key)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table idempotency_keys, job_schedules, jobs, audit_log, login_attempts,
      password_reset_tokens, api_keys, recovery_codes, sessions, users, customers;
    drop function audit_log_append_only();
  `.execute(db);
}
