// The route table: every view with its method, its name below the context, and the types it answers on.
import { userType } from '../resources/principal.ts';
import { rootPoolType } from '../resources/pool.ts';
import { deleteAccount } from './account-delete.ts';
import { activateAccount, confirmEmail, createPasswordReset, passwordReset } from './accounts.ts';
import { createBatchView } from './batch.ts';
import { loginByEmail, loginByName } from './login.ts';
import { metaApi } from './meta-api.ts';
import { createOpenApiView } from './openapi/document.ts';
import { contracts } from './openapi/view-contracts.ts';
import { deleteResource } from './resource-delete.ts';
import { getResource } from './resource-get.ts';
import { optionsOfResource } from './resource-options.ts';
import { postResource } from './resource-post.ts';
import { putResource } from './resource-put.ts';
import { getLockoutSettings, openSessionForUser, putLockoutSettings, tokenInfo } from './service-views.ts';
import { currentSession, listSessions, logout, revokeSessions } from './sessions.ts';
import { getSessionState, putSessionState } from './session-state.ts';
import type { Route } from './view.ts';

export type { Route } from './view.ts';

/** The first route that fits a request is taken: a type's own view of a verb comes before the general one. */
export const routes: readonly Route[] = [
  { method: 'DELETE', on: userType.id, permission: 'delete', handler: deleteAccount, contract: contracts.deleteAccount },
  { method: 'GET', permission: 'view', handler: getResource },
  { method: 'OPTIONS', permission: 'view', handler: optionsOfResource },
  { method: 'POST', permission: 'create', handler: postResource, takesBody: true },
  { method: 'PUT', permission: 'edit', handler: putResource, takesBody: true },
  { method: 'DELETE', permission: 'delete', handler: deleteResource },
  { method: 'GET', view: 'meta_api', on: rootPoolType.id, permission: 'view', handler: metaApi, contract: contracts.metaApi },
  { method: 'GET', view: 'openapi.json', on: rootPoolType.id, permission: 'view', handler: createOpenApiView(() => routes), contract: contracts.openApi },
  // Each subrequest passes the gate on its own, as the caller.
  { method: 'POST', view: 'batch', on: rootPoolType.id, permission: 'view', handler: createBatchView(() => routes), takesBody: true, contract: contracts.batch },
  { method: 'POST', view: 'login_username', on: rootPoolType.id, permission: 'view', handler: loginByName, takesBody: true, contract: contracts.loginByName },
  { method: 'POST', view: 'login_email', on: rootPoolType.id, permission: 'view', handler: loginByEmail, takesBody: true, contract: contracts.loginByEmail },
  { method: 'POST', view: 'logout', on: rootPoolType.id, permission: 'view', handler: logout, takesBody: true, contract: contracts.logout },
  { method: 'GET', view: 'session', on: rootPoolType.id, permission: 'view', handler: currentSession, contract: contracts.session },
  { method: 'POST', view: 'activate_account', on: rootPoolType.id, permission: 'view', handler: activateAccount, takesBody: true, contract: contracts.activateAccount },
  { method: 'POST', view: 'create_password_reset', on: rootPoolType.id, permission: 'view', handler: createPasswordReset, takesBody: true, contract: contracts.createPasswordReset },
  { method: 'POST', view: 'password_reset', on: rootPoolType.id, permission: 'view', handler: passwordReset, takesBody: true, contract: contracts.passwordReset },
  { method: 'POST', view: 'confirm_email', on: rootPoolType.id, permission: 'view', handler: confirmEmail, takesBody: true, contract: contracts.confirmEmail },
  { method: 'GET', view: 'sessions', on: userType.id, permission: 'manage-sessions', handler: listSessions, contract: contracts.listSessions },
  { method: 'GET', view: 'sessions', subview: 'state', on: userType.id, permission: 'session-state', handler: getSessionState, contract: contracts.getSessionState },
  { method: 'PUT', view: 'sessions', subview: 'state', on: userType.id, permission: 'session-state', handler: putSessionState, takesBody: true, contract: contracts.putSessionState },
  { method: 'DELETE', view: 'sessions', on: userType.id, permission: 'manage-sessions', handler: revokeSessions, contract: contracts.revokeSessions },
  // The views of other backends (docs/services.md).
  { method: 'POST', view: 'sessions', on: userType.id, permission: 'service', handler: openSessionForUser, takesBody: true, contract: contracts.openSessionForUser },
  { method: 'POST', view: 'token_info', on: rootPoolType.id, permission: 'service', handler: tokenInfo, takesBody: true, contract: contracts.tokenInfo },
  { method: 'GET', view: 'lockout_settings', on: rootPoolType.id, permission: 'service', handler: getLockoutSettings, contract: contracts.getLockoutSettings },
  { method: 'PUT', view: 'lockout_settings', on: rootPoolType.id, permission: 'service', handler: putLockoutSettings, takesBody: true, contract: contracts.putLockoutSettings },
];

/** View names can never be taken by a child, wherever it is created. */
export const viewNames: readonly string[] = [...new Set(routes.flatMap((route) => (route.view ? [route.view] : [])))];
