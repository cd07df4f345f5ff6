import { findUnwritableAttributes } from '../../../tools/dev-stack/cognito-proxy';

describe('findUnwritableAttributes', () => {
  const writable = ['email'];

  it('finds the attributes of a call that the app client may not write', () => {
    const body = {
      UserAttributes: [
        { Name: 'email', Value: 'a@example.com' },
        { Name: 'preferred_username', Value: 'admin' },
        { Name: 'name', Value: 'A' },
      ],
    };
    expect(findUnwritableAttributes(body, writable)).toEqual(['preferred_username', 'name']);
  });

  it('finds nothing when every attribute is writable or none is set', () => {
    expect(
      findUnwritableAttributes(
        { UserAttributes: [{ Name: 'email', Value: 'a@example.com' }] },
        writable,
      ),
    ).toEqual([]);
    expect(findUnwritableAttributes({ ClientMetadata: { handle: 'admin' } }, writable)).toEqual([]);
    expect(findUnwritableAttributes({ UserAttributes: 'x' }, writable)).toEqual([]);
  });
});
