-- What a person asked for at sign-up (handle, display name), validated by PreSignUp and kept until
-- PostConfirmation seeds the profile from it. The page sends them as SignUp ClientMetadata, which
-- Cognito does not store and does not pass to a ConfirmSignUp made later (another browser session,
-- another device), so they are kept here. Keyed by Cognito's userName (with email as the sign-in
-- alias, a UUID Cognito assigns before PreSignUp runs and that PostConfirmation gets too).
CREATE TABLE sign_up_intents (
  user_name text PRIMARY KEY,
  display_name text NOT NULL,
  -- NULL: none was typed; one is derived from the email at confirmation.
  handle text,
  expires_at timestamptz NOT NULL,
  CONSTRAINT sign_up_intents_user_name_length CHECK (char_length(user_name) BETWEEN 1 AND 128),
  CONSTRAINT sign_up_intents_display_name_length CHECK (char_length(display_name) BETWEEN 1 AND 256),
  CONSTRAINT sign_up_intents_handle_format CHECK (handle IS NULL OR handle ~ '^[a-z][a-z0-9_]{2,29}$')
);

-- Expired rows (sign-ups never confirmed) are purged a few at a time by later sign-ups.
CREATE INDEX sign_up_intents_expires_at ON sign_up_intents (expires_at);
