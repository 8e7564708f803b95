export const DEFAULT_BASE_URL_EU = 'https://api.kombo.dev/v1';
export const DEFAULT_BASE_URL_US = 'https://api.us.kombo.dev/v1';

export const COURSE_TYPE_EXTERNAL = 'EXTERNAL';

export const DEFAULT_BATCH_SIZE = 100;
export const MAX_BATCH_SIZE = 1000;

// Kombo rejects more than 30 writes in flight per integration; fragile connectors allow fewer.
export const MAX_PARALLEL_POSTS = 4;
export const MAX_PARALLEL_CHECKS = 4;

export const REQUEST_TIMEOUT_MS = 60_000;
// A status check made at the deadline still needs a moment to be answered; this is all it gets.
export const LAST_CHECK_TIMEOUT_MS = 2_000;

export const FIRST_CHECK_DELAY_MS = 1_000;
export const CHECK_BACKOFF_FACTOR = 1.5;
export const MAX_CHECK_INTERVAL_MS = 15_000;
export const DEFAULT_TIMEOUT_S = 600;

export const RETRY_BASE_DELAY_MS = 1_000;
export const RETRY_BACKOFF_FACTOR = 2;
export const RETRY_MAX_DELAY_MS = 30_000;
export const RETRY_AFTER_MAX_MS = 60_000;
export const RETRY_JITTER_MS = 500;
export const RETRY_MAX_ATTEMPTS = 6;
export const RETRY_MAX_TOTAL_MS = 120_000;

export const FAILED_COURSES_LISTED_MAX = 5;
export const TASKS_LISTED_MAX = 5;
// How much of an unreadable answer an error message quotes.
export const BODY_EXCERPT_MAX_CHARS = 200;

// GET /lms/courses takes page_size 1 to 250; Get Many's Limit defaults to n8n's usual 50.
export const LIST_PAGE_SIZE_MAX = 250;
export const DEFAULT_LIST_LIMIT = 50;
// Deactivations are writes: the transport's per-integration limiter caps them as well.
export const MAX_PARALLEL_DEACTIVATIONS = MAX_PARALLEL_POSTS;
// Integrations whose courses are listed at once when deactivating courses not in the input.
export const MAX_PARALLEL_LISTINGS = 4;
export const DEFAULT_MAX_SHARE_DEACTIVATED_PERCENT = 10;
// How many origin IDs an error about deactivations names.
export const DEACTIVATIONS_LISTED_MAX = 5;
