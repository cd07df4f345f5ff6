import { normalizeHandle } from '../../../src/profile/rules/normalize-handle';
import { isReservedHandle, RESERVED_HANDLES } from '../../../src/profile/rules/reserved-handles';

describe('RESERVED_HANDLES', () => {
  it.each([
    'admin',
    'root',
    'support',
    'api',
    'www',
    'me',
    'help',
    'system',
    'null',
    'undefined',
    'health',
    'profiles',
    'profile',
    'auth',
    'login',
    'logout',
    'signin',
    'signup',
    'settings',
    'static',
    'assets',
    'administrator',
    'moderator',
    'security',
    'status',
    'about',
    'cognito',
  ])('includes %s', (handle) => {
    expect(RESERVED_HANDLES).toContain(handle);
  });

  it('lists each handle once, in lower-case ASCII', () => {
    expect(new Set(RESERVED_HANDLES).size).toBe(RESERVED_HANDLES.length);
    for (const handle of RESERVED_HANDLES) {
      expect(handle).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(RESERVED_HANDLES)).toBe(true);
  });
});

describe('isReservedHandle', () => {
  it.each(['admin', 'ADMIN', 'Admin', 'CoGnItO'])('treats %s as reserved', (handle) => {
    expect(isReservedHandle(handle)).toBe(true);
  });

  it.each(['admin_user', 'admins', 'jane_doe', ''])('does not treat %p as reserved', (handle) => {
    expect(isReservedHandle(handle)).toBe(false);
  });

  it('does not fold full-width letters into ASCII', () => {
    // Look-alikes are not reserved words: normalizeHandle rejects them for their shape instead.
    expect(isReservedHandle('\uFF41\uFF44\uFF4D\uFF49\uFF4E')).toBe(false);
  });

  it('makes normalizeHandle reject every reserved handle of 3 or more characters', () => {
    for (const handle of RESERVED_HANDLES.filter((reserved) => reserved.length >= 3)) {
      expect(() => normalizeHandle(handle)).toThrow('Handle is reserved');
    }
  });
});
