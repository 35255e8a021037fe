package dev.mitosis.capture;

/** The lifecycle of every mitosis worker: {@code NEW → STARTING → RUNNING → DRAINING → STOPPED | FAILED}. */
public enum WorkerState {
    NEW, STARTING, RUNNING, DRAINING, STOPPED, FAILED
}
