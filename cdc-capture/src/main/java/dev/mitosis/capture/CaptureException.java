package dev.mitosis.capture;

/** Capture of a server cannot go on, and retrying will not help: the message says what to do. */
public class CaptureException extends RuntimeException {

    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
