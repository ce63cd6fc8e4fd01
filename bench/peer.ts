// pouchdb-server, the CouchDB-compatible peer: one database holding the same document, one user, a session cookie.
import { createRequire } from 'node:module';
import { expectOk } from './http.ts';
import { startServer, type Server } from './processes.ts';

export const peerUser = { name: 'bench', password: 'bench-user-password' };
const peerAdmin = { name: 'admin', password: 'bench-admin-password' };

/** The path of pouchdb-server's command, or why there is none. */
export function findPouchdbServer(): { bin: string } | { missing: string } {
  try {
    return { bin: createRequire(import.meta.url).resolve('pouchdb-server/bin/pouchdb-server') };
  } catch (error) {
    return { missing: `pouchdb-server is not installed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); run npm install` };
  }
}

export async function startPeer(bin: string, port: number, dir: string): Promise<Server> {
  return startServer({
    name: 'pouchdb-server',
    // Everything it writes (config.json, log.txt, databases) stays in its own directory.
    args: [bin, '--host', '127.0.0.1', '--port', String(port), '--dir', dir, '--config', `${dir}/config.json`, '--no-stdout-logs'],
    cwd: dir,
    env: {},
    port,
    dir,
  });
}

export interface PeerFixture {
  docPath: string;
  /** A fresh session cookie: CouchDB's expire 10 minutes after login unless the client takes the renewed one. */
  logIn(): Promise<string>;
  /** How the peer stored the user's password, read back from its _users database. */
  hashing: { scheme: string; iterations: number; digest: string };
}

/**
 * Ends the "admin party" (where everyone is admin and nothing is checked) and restricts the database to the
 * user, so that the cookie is really checked on every GET, as our token is.
 */
export async function preparePeer(server: Server, document: unknown): Promise<PeerFixture> {
  const { url } = server;
  await expectOk('PUT', `${url}/bench`);
  await expectOk('PUT', `${url}/bench/user`, { body: document });
  await expectOk('PUT', `${url}/_users/org.couchdb.user:${peerUser.name}`, {
    body: { _id: `org.couchdb.user:${peerUser.name}`, name: peerUser.name, password: peerUser.password, roles: [], type: 'user' },
  });
  await expectOk('PUT', `${url}/bench/_security`, {
    body: { admins: { names: [], roles: [] }, members: { names: [peerUser.name], roles: [] } },
  });
  await expectOk('PUT', `${url}/_config/admins/${peerAdmin.name}`, { body: peerAdmin.password });

  const logIn = async () => {
    const session = await expectOk('POST', `${url}/_session`, { body: peerUser });
    const cookie = /AuthSession=[^;]*/.exec(session.headers.get('set-cookie') ?? '')?.[0];
    if (!cookie) throw new Error('pouchdb-server gave no AuthSession cookie');
    return cookie;
  };
  await logIn();

  const basic = Buffer.from(`${peerAdmin.name}:${peerAdmin.password}`).toString('base64');
  const stored = (await expectOk('GET', `${url}/_users/org.couchdb.user:${peerUser.name}`, { headers: { Authorization: `Basic ${basic}` } }))
    .body as { password_scheme?: string; iterations?: number; derived_key?: string };
  return {
    docPath: '/bench/user',
    logIn,
    hashing: {
      scheme: stored.password_scheme ?? 'unknown',
      iterations: stored.iterations ?? 0,
      // CouchDB's pbkdf2 scheme derives 20 bytes with HMAC-SHA1; the key length shows which digest it was.
      digest: stored.derived_key?.length === 40 ? 'sha1' : `derived key of ${(stored.derived_key?.length ?? 0) / 2} bytes`,
    },
  };
}
