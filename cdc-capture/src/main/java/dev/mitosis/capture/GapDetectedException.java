package dev.mitosis.capture;

/**
 * The position capture stored for a server is no longer in that server's binlogs: changes between it and the
 * oldest binlog are lost to the stream. Capture never skips them silently; an operator re-baselines instead.
 */
public final class GapDetectedException extends CaptureException {

    private final String server;

    public GapDetectedException(String server, String detail, String rebaselineCommand, Throwable cause) {
        super("server " + server + ": the stored binlog position is no longer in the server's binlogs (" + detail
                + "); capture will not skip the gap. Re-baseline this server (the stream restarts at its current "
                + "GTID; re-verify its pair afterwards): " + rebaselineCommand, cause);
        this.server = server;
    }

    public String server() {
        return server;
    }
}
