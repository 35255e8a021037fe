package dev.mitosis.ops;

import picocli.CommandLine;

/** {@code mitosis --version}: the build's version and the runtime it runs on. */
public final class MitosisVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "mitosis " + (version == null ? "(development build)" : version),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
        };
    }
}
