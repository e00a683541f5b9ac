package dev.wirelab.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code --version}: the wirelab version (from the build), the JVM, the emulator it targets. */
public final class Version implements IVersionProvider {
    /** The project version the build stamped into the classes, or "unknown". */
    public static String wirelab() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "wirelab " + wirelab(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
            "Unicorn 2.1.4 or later required; board: QEMU virt compatible AArch64"
        };
    }
}
