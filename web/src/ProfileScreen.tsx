import { fetchAuthSession, signOut } from 'aws-amplify/auth';
import { useEffect, useState } from 'react';
import { ApiError, getMe, updateMe, type Profile, type ProfileUpdate } from './api';
import { GENERIC_MESSAGE, type Problem } from './errors';
import type { Go } from './navigation';
import { Field, FormError, Notice, ScreenHeading, onSubmit, requireValue, useForm } from './ui';

type Load =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; profile: Profile };

const SESSION_ENDED = 'Your session has ended. Sign in again.';

/** The access token (the API's authorizer accepts access tokens), refreshed by Amplify if needed. */
async function accessToken(): Promise<string> {
  const { tokens } = await fetchAuthSession();
  const token = tokens?.accessToken.toString();
  if (token === undefined) throw new ApiError(401, 'unauthorized', SESSION_ENDED);
  return token;
}

function isSessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'unauthorized';
}

/** Where the API's error codes belong on the edit form. */
function describeApiError(error: unknown): Problem<'name' | 'handle'> {
  if (!(error instanceof ApiError)) return { field: undefined, message: GENERIC_MESSAGE };
  switch (error.code) {
    case 'invalid_name':
      return { field: 'name', message: error.message };
    case 'invalid_preferred_username':
    case 'handle_taken':
      return { field: 'handle', message: error.message };
    default:
      return { field: undefined, message: error.message };
  }
}

export function ProfileScreen({ go, apiUrl }: { go: Go; apiUrl: string }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  const endSession = async (notice: string) => {
    await signOut().catch(() => undefined);
    go({ name: 'signIn', notice });
  };

  useEffect(() => {
    let current = true;
    setLoad({ state: 'loading' });
    accessToken()
      .then((token) => getMe(apiUrl, token))
      .then(
        (profile) => {
          if (current) setLoad({ state: 'ready', profile });
        },
        (error: unknown) => {
          if (!current) return;
          if (isSessionEnded(error)) {
            void endSession(SESSION_ENDED);
            return;
          }
          setLoad({
            state: 'failed',
            message: error instanceof ApiError ? error.message : GENERIC_MESSAGE,
          });
        },
      );
    return () => {
      current = false;
    };
    // Reloads when the person asks again (attempt); apiUrl never changes, and endSession is not a
    // reason to load again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [apiUrl, attempt]);

  return (
    <>
      <ScreenHeading>My profile</ScreenHeading>
      {load.state === 'loading' ? <p role="status">Loading your profile…</p> : null}
      {load.state === 'failed' ? (
        <>
          <p className="form-error" role="alert">
            {load.message}
          </p>
          <button
            type="button"
            onClick={() => {
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </>
      ) : null}
      {load.state === 'ready' ? (
        <ProfileDetails
          profile={load.profile}
          apiUrl={apiUrl}
          onSaved={(profile) => {
            setLoad({ state: 'ready', profile });
          }}
          onSessionEnded={() => endSession(SESSION_ENDED)}
        />
      ) : null}
      <p className="alternatives">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            void endSession('You are signed out.');
          }}
        >
          Sign out
        </button>
      </p>
    </>
  );
}

function ProfileDetails({
  profile,
  apiUrl,
  onSaved,
  onSessionEnded,
}: {
  profile: Profile;
  apiUrl: string;
  onSaved: (profile: Profile) => void;
  onSessionEnded: () => Promise<void>;
}) {
  const form = useForm('profile', ['name', 'handle'] as const);
  const [name, setName] = useState(profile.name);
  const [handle, setHandle] = useState(profile.preferred_username);
  const [saved, setSaved] = useState<string | undefined>(undefined);

  const save = () =>
    form.submit(
      () => [
        ...requireValue('name', name, 'Enter the name people will see.'),
        ...requireValue('handle', handle, 'Enter a handle.'),
      ],
      async () => {
        setSaved(undefined);
        const update: ProfileUpdate = {};
        if (name !== profile.name) update.name = name;
        if (handle !== profile.preferred_username) update.preferred_username = handle;
        if (Object.keys(update).length === 0) {
          setSaved('Nothing changed.');
          return;
        }
        let next: Profile;
        try {
          next = await updateMe(apiUrl, await accessToken(), update);
        } catch (error) {
          if (isSessionEnded(error)) {
            await onSessionEnded();
            return;
          }
          throw error;
        }
        // Show what the API stored (it normalizes: trimmed name, lower-case handle).
        setName(next.name);
        setHandle(next.preferred_username);
        onSaved(next);
        setSaved('Your profile is saved.');
      },
      describeApiError,
    );

  return (
    <>
      <dl className="profile">
        <div>
          <dt>Email</dt>
          <dd>{profile.email}</dd>
        </div>
        <div>
          <dt>Display name</dt>
          <dd>{profile.name}</dd>
        </div>
        <div>
          <dt>Handle</dt>
          <dd>{profile.preferred_username}</dd>
        </div>
      </dl>
      <h2>Edit your profile</h2>
      {saved === undefined ? null : <Notice>{saved}</Notice>}
      <form
        noValidate
        onSubmit={onSubmit(save)}
        aria-describedby={form.formError === undefined ? undefined : form.formErrorId}
      >
        <FormError id={form.formErrorId} message={form.formError} attempt={form.attempt} />
        <Field
          id={form.id('name')}
          label="Display name"
          autoComplete="name"
          required
          hint="Up to 64 characters."
          value={name}
          onChange={setName}
          error={form.fieldError('name')}
        />
        <Field
          id={form.id('handle')}
          label="Handle"
          autoComplete="username"
          required
          hint="3–30 letters (a–z), digits or underscores, starting with a letter."
          value={handle}
          onChange={setHandle}
          error={form.fieldError('handle')}
        />
        <button type="submit" aria-disabled={form.isBusy}>
          Save
        </button>
      </form>
    </>
  );
}
