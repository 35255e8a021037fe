package dev.mitosis.purger;

/**
 * An interlock whose evidence comes from a component that is not wired in yet (capture, the verdict store, the
 * routing record). It never holds, so a purge refuses to start until the real check replaces it: failing closed.
 */
public final class NotWiredInterlock implements Interlock {

    private final String name;
    private final String needs;

    /**
     * @param name  the condition, e.g. {@code "capture caught up"}
     * @param needs the component that would answer it, e.g. {@code "capture"}
     */
    public NotWiredInterlock(String name, String needs) {
        this.name = name;
        this.needs = needs;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InterlockResult check() {
        return InterlockResult.refused(name, "needs " + needs + ": not wired");
    }
}
