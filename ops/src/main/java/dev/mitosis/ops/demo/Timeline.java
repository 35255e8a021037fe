package dev.mitosis.ops.demo;

import dev.mitosis.ops.cli.Progress;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's steps in order, each timed, with what it ran and what it found; printed on stderr as each ends. A step
 * that fails ends the demo: {@link Failed} carries the one line that names what is missing or wrong.
 */
final class Timeline {

    /** One step: its name, what it showed, its commands, and how long it took. */
    record Step(int number, String name, String status, double seconds, String detail, List<String> commands) {
        boolean ok() {
            return "ok".equals(status);
        }
    }

    /** A step that did not hold; its message says what failed and what to look at. */
    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    /** The body of a step: returns one line on what it showed, or throws {@link Failed}. */
    interface Body {
        String run(List<String> commands) throws Exception;
    }

    private final Progress progress;
    private final int total;
    private final List<Step> steps = new ArrayList<>();

    Timeline(Progress progress, int total) {
        this.progress = progress;
        this.total = total;
    }

    void run(String name, Body body) {
        int number = steps.size() + 1;
        progress.say("step %d/%d %s ...", number, total, name);
        long start = System.nanoTime();
        List<String> commands = new ArrayList<>();
        try {
            String detail = body.run(commands);
            Step step = new Step(number, name, "ok", seconds(start), detail, List.copyOf(commands));
            steps.add(step);
            progress.say("step %d/%d %s: ok in %.1f s: %s", number, total, name, step.seconds(), detail);
        } catch (Failed e) {
            fail(number, name, start, commands, e.getMessage());
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(number, name, start, commands, "interrupted");
            throw new Failed(name + ": interrupted");
        } catch (Exception e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            fail(number, name, start, commands, message);
            throw new Failed(name + ": " + message);
        }
    }

    private void fail(int number, String name, long start, List<String> commands, String message) {
        Step step = new Step(number, name, "FAILED", seconds(start), message, List.copyOf(commands));
        steps.add(step);
        progress.say("step %d/%d %s: FAILED after %.1f s: %s", number, total, name, step.seconds(), message);
    }

    List<Step> steps() {
        return List.copyOf(steps);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
