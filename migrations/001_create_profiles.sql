-- One row per Cognito user, written by the post-confirmation trigger.
-- gen_random_uuid() is built in since PostgreSQL 13 (no pgcrypto) and exists in PGlite.
CREATE TABLE profiles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The idempotency key: Cognito may invoke a trigger more than once for the same user.
  cognito_sub text NOT NULL CONSTRAINT profiles_cognito_sub_key UNIQUE,
  email text NOT NULL,
  display_name text NOT NULL,
  handle text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT profiles_cognito_sub_length CHECK (char_length(cognito_sub) BETWEEN 1 AND 128),
  CONSTRAINT profiles_email_length CHECK (char_length(email) BETWEEN 3 AND 254),
  -- Code limits display names to 64 graphemes; one grapheme can be many code points (emoji
  -- sequences), so the database only bounds the code points.
  CONSTRAINT profiles_display_name_length CHECK (char_length(display_name) BETWEEN 1 AND 256),
  CONSTRAINT profiles_handle_format CHECK (handle ~ '^[a-z][a-z0-9_]{2,29}$')
);

-- Handles are unique regardless of case. The format check already keeps them lowercase; the
-- index on lower(handle) still serves the case-insensitive lookups. The store maps a unique
-- violation on this index (by name) to HandleTakenError.
CREATE UNIQUE INDEX profiles_handle_lower_key ON profiles (lower(handle));
