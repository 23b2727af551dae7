import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessKeys, changeLog, users } from '../../src/db/schema/index.ts';
import { DeleteConflictError, EntityAlreadyExistsError, NoSuchEntityError, ValidationError } from '../../src/errors.ts';
import { addUserToGroup, removeUserFromGroup } from '../../src/iam/group-membership.ts';
import { createGroup } from '../../src/iam/groups.ts';
import { newUniqueId } from '../../src/iam/ids.ts';
import { createUser, deleteUser, getUser, listUsers, updateUser } from '../../src/iam/users.ts';
import { ACCOUNT, openPrincipalsFixture, type PrincipalsFixture } from './support/principals.ts';

let fx: PrincipalsFixture;
beforeAll(async () => {
  fx = await openPrincipalsFixture();
});
afterAll(async () => {
  await fx.close();
});

describe('createUser', () => {
  it('creates a user with ARN, unique id, path and tags, and records the change', async () => {
    const { result: user, revision } = await createUser(fx.database, fx.actor, {
      userName: 'Alice',
      path: '/engineering/',
      tags: [{ key: 'Team', value: 'Core' }],
    });
    expect(user.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/engineering/Alice`);
    expect(user.id).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(user.tags).toEqual([{ key: 'Team', value: 'Core' }]);
    expect(revision).toMatch(/^[1-9][0-9]*$/);
    const [change] = await fx.database.db.select().from(changeLog).where(eq(changeLog.revision, BigInt(revision)));
    expect(change).toMatchObject({ kind: 'UserCreated', entityArn: user.arn, affectedPrincipalIds: [user.id], accountId: ACCOUNT });
  });

  it('refuses a name that differs only in case with EntityAlreadyExists', async () => {
    await expect(createUser(fx.database, fx.actor, { userName: 'ALICE' })).rejects.toBeInstanceOf(EntityAlreadyExistsError);
  });

  it('allows the same name in another account', async () => {
    const { result } = await createUser(fx.database, fx.otherActor, { userName: 'alice' });
    expect(result.accountId).not.toBe(ACCOUNT);
  });

  it.each([
    ['userName', { userName: '' }, 'input.userName', 'length'],
    ['userName', { userName: 'has space' }, 'input.userName', 'pattern'],
    ['userName', { userName: 'x'.repeat(65) }, 'input.userName', 'length'],
    ['reserved root', { userName: 'Root' }, 'input.userName', 'reserved'],
    ['path', { userName: 'bob', path: 'no-slash' }, 'input.path', 'pattern'],
    ['tag key prefix', { userName: 'bob', tags: [{ key: 'aws:x', value: '1' }] }, 'input.tags[0].key', 'reserved'],
    ['duplicate tag keys', { userName: 'bob', tags: [{ key: 'a', value: '1' }, { key: 'A', value: '2' }] }, 'input.tags[1].key', 'duplicate'],
    ['tag value length', { userName: 'bob', tags: [{ key: 'a', value: 'v'.repeat(257) }] }, 'input.tags[0].value', 'length'],
  ])('rejects a bad %s naming the field and rule', async (_what, input, field, rule) => {
    const error = await createUser(fx.database, fx.actor, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field, rule });
  });

  it('refuses more than 50 tags', async () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await expect(createUser(fx.database, fx.actor, { userName: 'many', tags })).rejects.toMatchObject({ field: 'input.tags', rule: 'count' });
  });

  it('refuses a permissions boundary that does not exist', async () => {
    await expect(
      createUser(fx.database, fx.actor, { userName: 'bounded', permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/Nope` }),
    ).rejects.toBeInstanceOf(NoSuchEntityError);
  });
});

describe('getUser and listUsers', () => {
  beforeAll(async () => {
    for (const [userName, path] of [
      ['carol', '/engineering/'],
      ['dave', '/sales/'],
      ['Erin', '/'],
      ['frank', '/engineering/platform/'],
    ] as const) {
      await createUser(fx.database, fx.actor, { userName, path });
    }
  });

  it('finds a user by name in any case, only in its own account', async () => {
    expect((await getUser(fx.database.db, ACCOUNT, 'CAROL')).name).toBe('carol');
    await expect(getUser(fx.database.db, '444455556666', 'carol')).rejects.toBeInstanceOf(NoSuchEntityError);
  });

  it('never shows the root user', async () => {
    await expect(getUser(fx.database.db, ACCOUNT, 'root')).rejects.toBeInstanceOf(ValidationError);
    const page = await listUsers(fx.database.db, ACCOUNT, {});
    expect(page.items.map((u) => u.name)).not.toContain('root');
  });

  it('lists by name case-insensitively and pages with opaque cursors', async () => {
    const all = (await listUsers(fx.database.db, ACCOUNT, {})).items.map((u) => u.name);
    expect(all).toEqual(['Alice', 'carol', 'dave', 'Erin', 'frank']);
    const first = await listUsers(fx.database.db, ACCOUNT, { first: 2 });
    expect(first.items.map((u) => u.name)).toEqual(['Alice', 'carol']);
    expect(first.hasNextPage).toBe(true);
    const second = await listUsers(fx.database.db, ACCOUNT, { first: 2, after: first.cursors[1] });
    expect(second.items.map((u) => u.name)).toEqual(['dave', 'Erin']);
    const third = await listUsers(fx.database.db, ACCOUNT, { first: 2, after: second.cursors[1] });
    expect(third.items.map((u) => u.name)).toEqual(['frank']);
    expect(third.hasNextPage).toBe(false);
  });

  it('filters by path prefix, treating LIKE metacharacters literally', async () => {
    const engineering = await listUsers(fx.database.db, ACCOUNT, { pathPrefix: '/engineering/' });
    expect(engineering.items.map((u) => u.name)).toEqual(['Alice', 'carol', 'frank']);
    expect((await listUsers(fx.database.db, ACCOUNT, { pathPrefix: '/eng%' })).items).toEqual([]);
    expect((await listUsers(fx.database.db, ACCOUNT, { pathPrefix: '/_ngineering/' })).items).toEqual([]);
  });

  it('rejects bad page arguments as validation errors', async () => {
    await expect(listUsers(fx.database.db, ACCOUNT, { first: 0 })).rejects.toMatchObject({ field: 'first', rule: 'range' });
    await expect(listUsers(fx.database.db, ACCOUNT, { after: 'garbage' })).rejects.toMatchObject({ field: 'after', rule: 'cursor' });
    await expect(listUsers(fx.database.db, ACCOUNT, { pathPrefix: 'x' })).rejects.toMatchObject({ field: 'pathPrefix', rule: 'pattern' });
  });
});

describe('updateUser', () => {
  it('renames and moves a user, keeping its unique id and changing its ARN', async () => {
    const before = await getUser(fx.database.db, ACCOUNT, 'dave');
    const { result } = await updateUser(fx.database, fx.actor, { userName: 'dave', newUserName: 'David', newPath: '/marketing/' });
    expect(result.id).toBe(before.id);
    expect(result.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/marketing/David`);
  });

  it('allows a change of case only, and refuses another user\'s name', async () => {
    expect((await updateUser(fx.database, fx.actor, { userName: 'david', newUserName: 'DAVID' })).result.name).toBe('DAVID');
    await expect(updateUser(fx.database, fx.actor, { userName: 'DAVID', newUserName: 'alice' })).rejects.toBeInstanceOf(EntityAlreadyExistsError);
  });

  it('names the field of a bad new name', async () => {
    await expect(updateUser(fx.database, fx.actor, { userName: 'DAVID', newUserName: 'a b' })).rejects.toMatchObject({ field: 'input.newUserName' });
  });
});

describe('deleteUser', () => {
  it('refuses while the user is in a group, then deletes once removed', async () => {
    await createUser(fx.database, fx.actor, { userName: 'gina' });
    await createGroup(fx.database, fx.actor, { groupName: 'staff' });
    await addUserToGroup(fx.database, fx.actor, { groupName: 'staff', userName: 'gina' });
    const conflict = await deleteUser(fx.database, fx.actor, 'gina').catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(DeleteConflictError);
    expect((conflict as DeleteConflictError).dependents).toContain('1 group membership(s)');
    await removeUserFromGroup(fx.database, fx.actor, { groupName: 'staff', userName: 'gina' });
    const { result } = await deleteUser(fx.database, fx.actor, 'gina');
    expect(result.name).toBe('gina');
    await expect(getUser(fx.database.db, ACCOUNT, 'gina')).rejects.toBeInstanceOf(NoSuchEntityError);
  });

  it('refuses while the user has an access key or a login profile', async () => {
    const { result: user } = await createUser(fx.database, fx.actor, { userName: 'hank' });
    await fx.database.db.insert(accessKeys).values({ id: newUniqueId('accessKey'), userId: user.id, secretHash: 'scrypt$test' });
    await fx.database.db.update(users).set({ passwordHash: 'scrypt$test' }).where(eq(users.id, user.id));
    const conflict = (await deleteUser(fx.database, fx.actor, 'hank').catch((e: unknown) => e)) as DeleteConflictError;
    expect(conflict).toBeInstanceOf(DeleteConflictError);
    expect(conflict.dependents).toContain('1 access key(s)');
    expect(conflict.dependents).toContain('a login profile');
  });

  it('cannot delete another account\'s user', async () => {
    await expect(deleteUser(fx.database, fx.otherActor, 'carol')).rejects.toBeInstanceOf(NoSuchEntityError);
  });
});
