import {
  findAttributeChanges,
  syncCognitoAttributes,
  type AttributeUpdate,
} from '../../../src/signup/sync-cognito-attributes';
import { captureLogs as capture } from '../../support/capture-logs';

const PROFILE = { displayName: 'Jane Doe', handle: 'jane_doe' };

describe('findAttributeChanges', () => {
  it('lists only the attributes whose stored form differs from what was typed', () => {
    expect(
      findAttributeChanges({ name: '  Jane   Doe ', preferred_username: 'jane_doe' }, PROFILE),
    ).toEqual([{ Name: 'name', Value: 'Jane Doe' }]);
    expect(
      findAttributeChanges({ name: 'Jane Doe', preferred_username: 'Jane_Doe' }, PROFILE),
    ).toEqual([{ Name: 'preferred_username', Value: 'jane_doe' }]);
    expect(
      findAttributeChanges({ name: 'Jane Doe', preferred_username: 'jane_doe' }, PROFILE),
    ).toEqual([]);
  });

  it('writes a derived handle back when none was typed', () => {
    expect(findAttributeChanges({ name: 'Jane Doe' }, PROFILE)).toEqual([
      { Name: 'preferred_username', Value: 'jane_doe' },
    ]);
  });
});

describe('syncCognitoAttributes', () => {
  const update: AttributeUpdate = {
    userPoolId: 'us-east-1_AbCdEf123',
    username: 'jane',
    attributes: [{ Name: 'name', Value: 'Jane Doe' }],
  };

  it('sends the changes and logs which attributes it wrote', async () => {
    const sent: AttributeUpdate[] = [];
    const { logger, lines } = capture();
    await syncCognitoAttributes(
      update,
      (u) => {
        sent.push(u);
        return Promise.resolve();
      },
      logger,
      'sub-1',
    );
    expect(sent).toEqual([update]);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'INFO', sub: 'sub-1', attributes: 'name' }),
    ]);
  });

  it('sends nothing when nothing differs', async () => {
    const send = jest.fn(() => Promise.resolve());
    await syncCognitoAttributes({ ...update, attributes: [] }, send, capture().logger, 'sub-1');
    expect(send).not.toHaveBeenCalled();
  });

  it('logs a failure and never throws: the profile is already stored', async () => {
    const { logger, lines } = capture();
    await expect(
      syncCognitoAttributes(
        update,
        () => Promise.reject(new Error('AccessDenied')),
        logger,
        'sub-1',
      ),
    ).resolves.toBeUndefined();
    expect(lines).toEqual([
      expect.objectContaining({ level: 'WARN', sub: 'sub-1', error: 'Error: AccessDenied' }),
    ]);
  });
});
