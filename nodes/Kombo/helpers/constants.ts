export const DEFAULT_BASE_URL_EU = 'https://api.kombo.dev/v1';
export const DEFAULT_BASE_URL_US = 'https://api.us.kombo.dev/v1';

export const COURSE_TYPE_EXTERNAL = 'EXTERNAL';

export const DEFAULT_BATCH_SIZE = 100;
export const MAX_BATCH_SIZE = 1000;

// Kombo rejects more than 30 writes in flight per integration, fragile connectors fewer, and
// says which in its Concurrency-Limit header. Writes start at a few and grow towards the limit.
export const INITIAL_WRITES_PER_INTEGRATION = 4;
export const KOMBO_WRITE_LIMIT = 30;
// How far below Kombo's limit the node stays, as a share of it (30 → 27, 5 → 4).
export const WRITE_LIMIT_SAFETY_SHARE = 0.1;
// An answer this many times slower than the fastest, and by this much, counts as overload.
export const WRITE_GROWTH_SLOW_FACTOR = 3;
export const WRITE_GROWTH_SLOW_MIN_MS = 250;
// Requests of one execution in flight at once, over all integrations: protects the n8n instance.
// The cap starts here and makes room for each further integration written to (a lane's worth, so
// that integrations served side by side each work near their own limit), up to the ceiling.
export const MAX_REQUESTS_IN_FLIGHT = 32;
export const MAX_REQUESTS_IN_FLIGHT_CEILING = 160;
export const MAX_PARALLEL_CHECKS = 8;

export const REQUEST_TIMEOUT_MS = 60_000;
// A status check made at the deadline still needs a moment to be answered; this is all it gets.
export const LAST_CHECK_TIMEOUT_MS = 2_000;

export const FIRST_CHECK_DELAY_MS = 1_000;
export const CHECK_BACKOFF_FACTOR = 1.5;
export const MAX_CHECK_INTERVAL_MS = 15_000;
export const DEFAULT_TIMEOUT_S = 600;
// An AI agent waits for its tool: as a tool the node waits this long by default, then reports
// what is still pending instead of failing, so the agent can check again later.
export const TOOL_DEFAULT_TIMEOUT_S = 30;

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

// Skip Unchanged Courses: a course's fingerprint is the first 96 bits of a SHA-256 hash, as 16
// base64url characters (the chance that an edited course looks unchanged among a million is
// about 1 in 10^23); the record holds at most this many, 16 MB of the workflow's static data.
export const FINGERPRINT_CHARS = 16;
export const FINGERPRINTS_MAX_ENTRIES = 1_000_000;

// GET /lms/courses takes page_size 1 to 250; Get Many's Limit defaults to n8n's usual 50.
export const LIST_PAGE_SIZE_MAX = 250;
export const DEFAULT_LIST_LIMIT = 50;
// Integrations whose courses are listed at once when deactivating courses not in the input.
export const MAX_PARALLEL_LISTINGS = 4;
export const DEFAULT_MAX_SHARE_DEACTIVATED_PERCENT = 10;
// How many origin IDs an error about deactivations names.
export const DEACTIVATIONS_LISTED_MAX = 5;
// Bulk lookups (learners by work email, progressions by learner): values per request, and how long
// the joined list may be, so that a URL stays well inside what servers accept.
export const LOOKUP_VALUES_PER_REQUEST = 100;
export const LOOKUP_QUERY_MAX_CHARS = 4_000;
// Lookups of one integration in flight at once, within the execution's cap.
export const MAX_PARALLEL_LOOKUPS = 4;
