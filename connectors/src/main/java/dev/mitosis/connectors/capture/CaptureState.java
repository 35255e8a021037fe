package dev.mitosis.connectors.capture;

/** The state of one server's capture, as capture publishes it. */
public enum CaptureState {
    /** The engine is starting; nothing published yet. */
    STARTING,
    /** Connected to the binlog and keeping up. */
    RUNNING,
    /** Connected, but the last published event is older than the lag bound. */
    CATCHING_UP,
    /** The engine failed and is being restarted with backoff. */
    RETRYING,
    /** Stopped on an error that a restart will not fix (a binlog gap, a failed preflight). */
    FAILED,
    /** Stopped on request. */
    STOPPED
}
