// The CouchDB-compatible peer (express-pouchdb, the core of pouchdb-server): one database holding the same document, one user, a session cookie.
import { expectOk } from './http.ts';
import { startServer, type Server } from './processes.ts';

/** How the tables name the peer. */
export const peerName = 'express-pouchdb';

export const peerUser = { name: 'bench', password: 'bench-user-password' };
const peerAdmin = { name: 'admin', password: 'bench-admin-password' };

/** The same server the tests of the HTTP adapter use, here with its databases on disk (LevelDB) as our backend's are. */
export async function startPeer(repoRoot: string, port: number, dir: string): Promise<Server> {
  return startServer({
    name: peerName,
    // Everything it writes (log.txt, databases) goes to its own directory; tsx is found from the repository.
    args: ['--import', 'tsx', `${repoRoot}/test/support/couch-server-process.ts`, '--host', '127.0.0.1', '--port', String(port), '--dir', dir],
    cwd: repoRoot,
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
    if (!cookie) throw new Error(`${peerName} gave no AuthSession cookie`);
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
