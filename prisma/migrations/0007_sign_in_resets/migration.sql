-- An admin's "reset sign-in" for a member: a one-time link (stored hashed, like invites)
-- that lets the member choose a new password; using it ends all of their sessions.
CREATE TABLE sign_in_resets (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  token_hash text NOT NULL,
  created_by_id uuid,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  expires_at timestamptz(3) NOT NULL,
  used_at timestamptz(3),
  revoked_at timestamptz(3)
);
CREATE UNIQUE INDEX sign_in_resets_token_hash_key ON sign_in_resets (token_hash);
CREATE INDEX sign_in_resets_user_id_idx ON sign_in_resets (user_id);
