/**
 * The heartbeat timeout of every activity: how long after a worker dies (SIGKILL, OOM, lost
 * machine) its activities are retried on another one. Workers beat every few seconds while an
 * activity runs (LivenessHeartbeatInterceptor), so it only has to outlast a few lost beats, not the
 * longest request or CPU step. Changing it changes no command (timeouts are not checked on replay).
 */
export const HEARTBEAT_TIMEOUT = '15 seconds';
