/**
 * The {@link ProfileStore} logic, written once against {@link SqlExecutor}; the `pg` and PGlite
 * modules only supply the executor and how to close it.
 */
import { toAsciiLowerCase } from '../rules/to-ascii-lower-case';
import { HANDLE_INDEX, PROFILE_SQL, SIGN_UP_INTENT_SQL, toProfile } from './profile-sql';
import {
  HandleTakenError,
  type CreateProfileInput,
  type CreateProfileResult,
  type Profile,
  type ProfileStore,
  type ProfileUpdate,
  type SignUpIntent,
} from './profile-store';
import { isUniqueViolationOn, type SqlExecutor } from './sql-executor';

export class SqlProfileStore implements ProfileStore {
  #closing: Promise<void> | undefined;

  constructor(
    private readonly db: SqlExecutor,
    private readonly closeDatabase: () => Promise<void>,
    /** Lets go of connections between invocations; nothing to do for an embedded database. */
    private readonly releaseDatabaseConnections: () => Promise<void> = () => Promise.resolve(),
  ) {}

  async findBySub(sub: string): Promise<Profile | undefined> {
    const [row] = await this.db.query(PROFILE_SQL.findBySub, [sub]);
    return row === undefined ? undefined : toProfile(row);
  }

  async findByHandle(handle: string): Promise<Profile | undefined> {
    const [row] = await this.db.query(PROFILE_SQL.findByHandle, [handle]);
    return row === undefined ? undefined : toProfile(row);
  }

  async isHandleTaken(handle: string): Promise<boolean> {
    const [row] = await this.db.query(PROFILE_SQL.isHandleTaken, [handle]);
    return row?.taken === true;
  }

  async createProfile(input: CreateProfileInput): Promise<CreateProfileResult> {
    // Handles are stored lower-case; non-ASCII is left as it is for the format CHECK to reject.
    const handle = toAsciiLowerCase(input.handle);
    let inserted;
    try {
      inserted = await this.db.query(PROFILE_SQL.insert, [
        input.cognitoSub,
        input.email,
        input.displayName,
        handle,
      ]);
    } catch (error) {
      if (!isUniqueViolationOn(error, HANDLE_INDEX)) throw error;
      // Two concurrent creates for the same sub and handle can also end here: ON CONFLICT only
      // arbitrates cognito_sub, and the loser's check of the handle index, having waited for the
      // winner to commit, reports a duplicate handle. Only a different sub means "taken".
      const existing = await this.findBySub(input.cognitoSub);
      if (existing !== undefined) return { profile: existing, created: false };
      throw new HandleTakenError(handle, { cause: error });
    }

    const [row] = inserted;
    if (row !== undefined) return { profile: toProfile(row), created: true };

    // ON CONFLICT DO NOTHING returns no row when the sub exists (Cognito retried the trigger, or
    // a concurrent call won): read what is there. The insert waited for any in-flight writer of
    // this sub to commit, so this statement's snapshot sees its row.
    const existing = await this.findBySub(input.cognitoSub);
    if (existing === undefined) {
      throw new Error('createProfile: the insert conflicted on cognito_sub but no row was found');
    }
    return { profile: existing, created: false };
  }

  async updateProfile(sub: string, update: ProfileUpdate): Promise<Profile | undefined> {
    if (update.displayName === undefined && update.handle === undefined) {
      return this.findBySub(sub);
    }
    const handle = update.handle === undefined ? undefined : toAsciiLowerCase(update.handle);
    let rows;
    try {
      rows = await this.db.query(PROFILE_SQL.update, [
        sub,
        update.displayName ?? null,
        handle ?? null,
      ]);
    } catch (error) {
      if (handle !== undefined && isUniqueViolationOn(error, HANDLE_INDEX)) {
        throw new HandleTakenError(handle, { cause: error });
      }
      throw error;
    }
    const [row] = rows;
    return row === undefined ? undefined : toProfile(row);
  }

  async recordSignUpIntent(intent: SignUpIntent, expiresAt: Date, now: Date): Promise<void> {
    await this.db.query(SIGN_UP_INTENT_SQL.record, [
      intent.userName,
      intent.displayName,
      intent.handle === undefined ? null : toAsciiLowerCase(intent.handle),
      // ISO strings: both drivers send them as text, which timestamptz reads exactly.
      expiresAt.toISOString(),
      now.toISOString(),
    ]);
  }

  async findSignUpIntent(userName: string, now: Date): Promise<SignUpIntent | undefined> {
    const [row] = await this.db.query(SIGN_UP_INTENT_SQL.find, [userName, now.toISOString()]);
    if (row === undefined) return undefined;
    const { display_name: displayName, handle } = row;
    if (typeof displayName !== 'string' || (handle !== null && typeof handle !== 'string')) {
      throw new TypeError('sign_up_intents row: unexpected column types');
    }
    return { userName, displayName, handle: handle ?? undefined };
  }

  async deleteSignUpIntent(userName: string): Promise<void> {
    await this.db.query(SIGN_UP_INTENT_SQL.delete, [userName]);
  }

  async ping(): Promise<void> {
    await this.db.query(PROFILE_SQL.ping);
  }

  releaseConnections(): Promise<void> {
    return this.#closing === undefined ? this.releaseDatabaseConnections() : Promise.resolve();
  }

  close(): Promise<void> {
    this.#closing ??= this.closeDatabase();
    return this.#closing;
  }
}
