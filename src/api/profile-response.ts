import type { Profile } from '../profile/store/profile-store';

/** A profile as the API returns it: the Cognito attribute names, ISO 8601 times. */
export interface ProfileResponse {
  id: string;
  sub: string;
  email: string;
  name: string;
  preferred_username: string;
  createdAt: string;
  updatedAt: string;
}

/** The one mapping from a stored {@link Profile} to what clients see. */
export function toProfileResponse(profile: Profile): ProfileResponse {
  return {
    id: profile.id,
    sub: profile.cognitoSub,
    email: profile.email,
    name: profile.displayName,
    preferred_username: profile.handle,
    createdAt: profile.createdAt.toISOString(),
    updatedAt: profile.updatedAt.toISOString(),
  };
}
