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
