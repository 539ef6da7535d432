-- People who sign in through an OpenID Connect provider. The id is derived
-- from (issuer, subject), the provider's stable identity of a person; email
-- and name are for display and change with the provider. roles are the ones
-- the claims granted at the last sign-in.
CREATE TABLE users (
  id              text PRIMARY KEY,
  issuer          text NOT NULL,
  subject         text NOT NULL,
  email           text,
  name            text,
  roles           text[] NOT NULL,
  created_at      timestamptz NOT NULL,
  last_sign_in_at timestamptz NOT NULL,
  UNIQUE (issuer, subject)
);

-- Web UI sessions behind an HttpOnly cookie. Only the SHA-256 of the cookie's
-- secret is kept; roles are the user's at sign-in (a new sign-in refreshes
-- them). A session ends by logout (ended_at) or by expiry.
CREATE TABLE web_sessions (
  id          text PRIMARY KEY,
  secret_hash text NOT NULL UNIQUE,
  user_id     text NOT NULL REFERENCES users (id),
  roles       text[] NOT NULL,
  csrf_token  text NOT NULL,
  id_token    text,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  ended_at    timestamptz
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);

-- A sign-in under way: what the callback must see again (state, nonce) and the
-- PKCE verifier. The browser holds only the flow's random id, in a cookie;
-- a row is taken (deleted) by the callback that uses it.
CREATE TABLE oidc_login_flows (
  id_hash       text PRIMARY KEY,
  state         text NOT NULL,
  nonce         text NOT NULL,
  code_verifier text NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX oidc_login_flows_expiry ON oidc_login_flows (expires_at);
