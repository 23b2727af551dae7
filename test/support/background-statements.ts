/**
 * Statements the service runs on its own, whenever their timers fire, beside whatever a test
 * counts: the change-log listener's reads, the health ping, and the usage flush (service last
 * accessed, action usage, access keys' last use). Tests that count the statements an operation
 * costs leave these out, or a flush that happens to land inside the count makes it flaky.
 */
export const BACKGROUND_STATEMENTS = /"change_log"|"service_last_accessed"|"action_usage"|update "access_keys" set\s+last_used_at|^select 1$/;
