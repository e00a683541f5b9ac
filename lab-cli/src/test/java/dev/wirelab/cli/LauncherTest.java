package dev.wirelab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real {@code ./wirelab} script: a separate JVM started from the launcher's
 * classpath prints the same console and trace hash as the in-process run.
 */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void launcherBootsHelloWithTheSameTraceHash() throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("wirelab.root", "..")).toAbsolutePath().normalize();
        Path launcher = root.resolve("wirelab");
        assumeTrue(Files.isExecutable(launcher), "no ./wirelab at " + root);
        // The launcher runs from lab-cli/target/lib, which only 'package' fills.
        assumeTrue(Files.isDirectory(root.resolve("lab-cli/target/lib")), "lab-cli not packaged yet");
        String hello = Cli.guest(dir, "hello.elf");

        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "boot", hello, "--trace-hash")
                .redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().put("WIRELAB_NO_BUILD", "1"); // the Maven build that runs this test just built it
        Process p = pb.start();
        p.getOutputStream().close();
        int code = p.waitFor();
        String out = Files.readString(dir.resolve("out"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);

        assertEquals(0, code, out + err);
        assertEquals("", err);
        Cli.Result inProcess = Cli.run("boot", hello, "--trace-hash");
        assertEquals(inProcess.out(), out, "same console and trace hash in a separate process");
    }
}
