// The wire names of the headers this API reads or sends, defined once for every layer.
export const userTokenHeader = 'X-User-Token';
export const userPasswordHeader = 'X-User-Password';
/** Another backend's key from SERVICE_KEYS: the request acts as that service. */
export const serviceKeyHeader = 'X-Service-Key';
export const requestIdHeader = 'X-Request-Id';
/** Names the caching mode of Adhocracy 3's strategy that answers follow, for people debugging caches. */
export const cachingModeHeader = 'X-Caching-Mode';
export const retryAfterHeader = 'Retry-After';
