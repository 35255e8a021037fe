package dev.mitosis.ops.demo;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The command processes the demo started, so cleanup stops each of them (SIGTERM, by its own handle) and no other. */
final class Children {

    private final List<CommandRunner.Child> started = new CopyOnWriteArrayList<>();

    CommandRunner.Child add(CommandRunner.Child child) {
        started.add(child);
        return child;
    }

    void stopAll() {
        started.forEach(CommandRunner.Child::stop);
    }
}
