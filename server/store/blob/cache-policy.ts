/**
 * How caches may keep screenshot objects. Keys never change meaning (a screenshot's id is in its
 * key, a thumbnail's key is its screenshot's), so an object at a key is immutable. It is personal
 * data, so only the viewer's own cache keeps it (private), and never for longer than the signed
 * URL that fetched it is valid: each signed GET asks the store to answer with this Cache-Control
 * and an Expires equal to the URL's own expiry.
 */
export const OBJECT_CACHE_CONTROL = 'private, max-age=300, immutable';

/** Cache-Control a signed GET's answer carries; its freshness ends at the Expires the URL sets. */
export const SIGNED_GET_CACHE_CONTROL = 'private, immutable';
