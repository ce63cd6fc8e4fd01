// adhocracy-ts/client: the typed client of this API, for browsers and Node (fetch only).
export { AdhocracyClient, sheetOf } from './client.ts';
export type { AnyResource, ChangeAnswer, ClientOptions, CreateBody, EditBody, PoolListing, PoolQuery, Session, SessionStore, TokenAnswer } from './client.ts';
export { AdhocracyError, ProtocolError, type ErrorDetail } from './errors.ts';
export * from './generated.ts';
