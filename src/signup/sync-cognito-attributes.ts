/**
 * Optional (SYNC_ATTRIBUTES_TO_COGNITO=true): after confirmation, write the normalized `name` and
 * `preferred_username` back to Cognito when they differ from what was typed, so later id tokens
 * carry the clean form. Cognito ignores attribute changes returned from PreSignUp, hence this.
 */
import type { Logger } from '../logger';
import { describeError } from '../logger';
import type { Profile } from '../profile/store/profile-store';

export interface AttributeUpdate {
  userPoolId: string;
  username: string;
  attributes: { Name: string; Value: string }[];
}

export type UpdateUserAttributes = (update: AttributeUpdate) => Promise<void>;

/** The attributes whose stored form differs from what Cognito holds. */
export function findAttributeChanges(
  typed: Readonly<Record<string, string>>,
  profile: Pick<Profile, 'displayName' | 'handle'>,
): { Name: string; Value: string }[] {
  const changes: { Name: string; Value: string }[] = [];
  if (typed.name !== profile.displayName)
    changes.push({ Name: 'name', Value: profile.displayName });
  if (typed.preferred_username !== profile.handle) {
    changes.push({ Name: 'preferred_username', Value: profile.handle });
  }
  return changes;
}

/** Writes the changes, logging (never throwing) on failure: the profile is already stored. */
export async function syncCognitoAttributes(
  update: AttributeUpdate,
  send: UpdateUserAttributes,
  logger: Logger,
  sub: string,
): Promise<void> {
  if (update.attributes.length === 0) return;
  try {
    await send(update);
    logger.info('normalized attributes written back to Cognito', {
      sub,
      attributes: update.attributes.map((a) => a.Name).join(','),
    });
  } catch (error) {
    logger.warn('could not write normalized attributes back to Cognito', {
      sub,
      error: describeError(error),
    });
  }
}

/** The real sender: AdminUpdateUserAttributes through the AWS SDK v3 that Lambda provides. */
export function createCognitoAttributeUpdater(): UpdateUserAttributes {
  let client: Promise<{ send: (update: AttributeUpdate) => Promise<void> }> | undefined;
  return async (update) => {
    client ??= import('@aws-sdk/client-cognito-identity-provider').then((sdk) => {
      const cognito = new sdk.CognitoIdentityProviderClient({});
      return {
        send: async ({ userPoolId, username, attributes }: AttributeUpdate) => {
          await cognito.send(
            new sdk.AdminUpdateUserAttributesCommand({
              UserPoolId: userPoolId,
              Username: username,
              UserAttributes: attributes,
            }),
          );
        },
      };
    });
    await (await client).send(update);
  };
}
