// The wire names of the headers this API reads or sends, defined once for every layer.
export const userTokenHeader = 'X-User-Token';
export const userPasswordHeader = 'X-User-Password';
export const requestIdHeader = 'X-Request-Id';
export const retryAfterHeader = 'Retry-After';
