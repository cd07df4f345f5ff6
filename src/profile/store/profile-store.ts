/**
 * Where user profiles live. One interface, one implementation per database (PostgreSQL through
 * `pg`, PGlite for local runs and tests), both running the SQL in `profile-sql.ts`.
 */

export interface Profile {
  id: string;
  cognitoSub: string;
  email: string;
  displayName: string;
  /** Stored lowercase; unique regardless of case. */
  handle: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A new profile: what the caller chooses; the database assigns the id and the timestamps. */
export type CreateProfileInput = Pick<Profile, 'cognitoSub' | 'email' | 'displayName' | 'handle'>;

export interface CreateProfileResult {
  profile: Profile;
  /** `false` when a profile for this sub already existed (a retried trigger); it is returned unchanged. */
  created: boolean;
}

export interface ProfileUpdate {
  displayName?: string;
  handle?: string;
}

/**
 * What a person asked for at sign-up, validated and normalized by PreSignUp, kept until
 * PostConfirmation (or the first API call) creates the profile from it.
 */
export interface SignUpIntent {
  /** Cognito's userName of the new user (a UUID when email is the sign-in alias). */
  userName: string;
  displayName: string;
  /** `undefined` when none was typed: one is derived from the email. */
  handle: string | undefined;
}

export interface ProfileStore {
  findBySub(sub: string): Promise<Profile | undefined>;
  /** Case-insensitive. */
  findByHandle(handle: string): Promise<Profile | undefined>;
  /** Case-insensitive. */
  isHandleTaken(handle: string): Promise<boolean>;
  /**
   * Creates the profile of `input.cognitoSub`, or returns the existing one untouched: safe to
   * call again for the same sub, even concurrently. Throws {@link HandleTakenError} when another
   * sub holds the handle in any case, so the caller can retry with a variant.
   */
  createProfile(input: CreateProfileInput): Promise<CreateProfileResult>;
  /**
   * Changes the given fields; `undefined` when no profile has this sub. Throws
   * {@link HandleTakenError} when another sub holds the new handle.
   */
  updateProfile(sub: string, update: ProfileUpdate): Promise<Profile | undefined>;
  /**
   * Records a validated sign-up intent until `expiresAt` (replacing one for the same userName),
   * and purges a few expired ones.
   */
  recordSignUpIntent(intent: SignUpIntent, expiresAt: Date, now: Date): Promise<void>;
  /** The intent recorded for `userName`, unless it expired by `now`. */
  findSignUpIntent(userName: string, now: Date): Promise<SignUpIntent | undefined>;
  /** Forgets the intent of `userName` (its profile exists). Nothing happens when there is none. */
  deleteSignUpIntent(userName: string): Promise<void>;
  /** Resolves when the database answers a trivial query (health checks). */
  ping(): Promise<void>;
  /**
   * Lets go of database connections until the next statement needs one (a Lambda invocation
   * ended: a frozen container should hold none). The store stays usable.
   */
  releaseConnections(): Promise<void>;
  /** Releases connections (or the embedded database). Calling it again does nothing. */
  close(): Promise<void>;
}

/** The handle belongs to another profile (compared case-insensitively). */
export class HandleTakenError extends Error {
  readonly code = 'ERR_HANDLE_TAKEN';

  constructor(
    readonly handle: string,
    options?: ErrorOptions,
  ) {
    super(`handle "${handle}" is taken by another profile`, options);
    this.name = 'HandleTakenError';
  }
}
