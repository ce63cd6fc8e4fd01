// The route table: every view with its method, its name below the context, and the types it answers on.
import { userType } from '../resources/principal.ts';
import { rootPoolType } from '../resources/pool.ts';
import { createBatchView } from './batch.ts';
import { loginByEmail, loginByName } from './login.ts';
import { metaApi } from './meta-api.ts';
import { deleteResource } from './resource-delete.ts';
import { getResource } from './resource-get.ts';
import { optionsOfResource } from './resource-options.ts';
import { postResource } from './resource-post.ts';
import { putResource } from './resource-put.ts';
import { listSessions, logout, revokeSessions } from './sessions.ts';
import type { Route } from './view.ts';


export type { Route } from './view.ts';

export const routes: readonly Route[] = [
  { method: 'GET', permission: 'view', handler: getResource },
  { method: 'OPTIONS', permission: 'view', handler: optionsOfResource },
  { method: 'POST', permission: 'create', handler: postResource, takesBody: true },
  { method: 'PUT', permission: 'edit', handler: putResource, takesBody: true },
  { method: 'DELETE', permission: 'delete', handler: deleteResource },
  { method: 'GET', view: 'meta_api', on: rootPoolType.id, permission: 'view', handler: metaApi },
  // Each subrequest passes the gate on its own, as the caller.
  { method: 'POST', view: 'batch', on: rootPoolType.id, permission: 'view', handler: createBatchView(() => routes), takesBody: true },
  { method: 'POST', view: 'login_username', on: rootPoolType.id, permission: 'view', handler: loginByName, takesBody: true },
  { method: 'POST', view: 'login_email', on: rootPoolType.id, permission: 'view', handler: loginByEmail, takesBody: true },
  { method: 'POST', view: 'logout', on: rootPoolType.id, permission: 'view', handler: logout, takesBody: true },
  { method: 'GET', view: 'sessions', on: userType.id, permission: 'manage-sessions', handler: listSessions },
  { method: 'DELETE', view: 'sessions', on: userType.id, permission: 'manage-sessions', handler: revokeSessions },
];

/** View names can never be taken by a child, wherever it is created. */
export const viewNames: readonly string[] = [...new Set(routes.flatMap((route) => (route.view ? [route.view] : [])))];
