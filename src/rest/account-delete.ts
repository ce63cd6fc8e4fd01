// DELETE on a user: the account is erased (its own with the current password in X-User-Password; any, by an admin), the resource stays.
import { userPasswordHeader } from '../headers.ts';
import { serializeChange } from './serialize.ts';
import type { View } from './view.ts';

export const deleteAccount: View = async (request, { accountDeletion, login, codec, log }) => {
  const { context: user, type, principal } = request;
  // A stolen token is not enough to delete the account it belongs to; an admin deleting another's needs no password of that account.
  if (principal.userPath === user.path) {
    await login.confirmPassword({
      principal,
      password: request.header(userPasswordHeader),
      action: 'Deleting the account',
      address: request.clientAddress,
      requestId: request.requestId,
    });
  }
  const { record, updated, sessionsEnded } = await accountDeletion.erase({ user, type, principal });
  log.info('account_deleted', { request_id: request.requestId, account: user.path, by: principal.userPath, sessions_revoked: sessionsEnded });
  return { body: serializeChange(record, updated, codec) };
};
