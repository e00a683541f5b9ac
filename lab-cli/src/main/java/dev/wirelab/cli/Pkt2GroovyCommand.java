package dev.wirelab.cli;

import dev.wirelab.emulator.lab.BadArgument;
import dev.wirelab.emulator.pkt.PktRunner;
import dev.wirelab.emulator.pkt.PktScript;
import dev.wirelab.emulator.pkt.PktToGroovy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

/** {@code wirelab pkt2groovy FILE.pkt}: writes the packetdrill script as the equivalent Groovy lab script. */
@Command(name = "pkt2groovy", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Writes a packetdrill script as the equivalent Groovy lab script (FILE.groovy beside it, or --out).",
                "Exit code: 0 written, 2 a malformed script or a line the lab cannot run (unsupported at FILE:LINE)."})
public final class Pkt2GroovyCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "FILE.pkt", description = "The packetdrill script.")
    Path script;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write ('-': standard output). "
            + "Default: the script's name with .groovy, in its folder.")
    String out;

    @Option(names = "--ignore-shell", description = "Skip `shell` lines and %%{ python }%% blocks instead of refusing them.")
    boolean ignoreShell;

    @Option(names = {"--local-ip", "--local_ip"}, paramLabel = "IP", description = "The script's address for the guest.")
    String localIp;

    @Option(names = {"--remote-ip", "--remote_ip"}, paramLabel = "IP", description = "The script's address for the peer.")
    String remoteIp;

    public Pkt2GroovyCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        PktScript parsed;
        try {
            parsed = PktRun.parse(script);
        } catch (UserError e) {
            io.err().println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        String text;
        try {
            text = PktToGroovy.convert(parsed, PktRunner.Settings.defaults().withIgnoreShell(ignoreShell)
                    .withAddresses(localIp, remoteIp));
        } catch (BadArgument b) {
            io.err().println(b.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        if ("-".equals(out)) {
            io.out().print(text);
            return ExitCodes.OK;
        }
        Path target = out != null ? Path.of(out) : script.resolveSibling(script.getFileName().toString()
                .replaceFirst("\\.pkt$", "") + ".groovy");
        writeAtomically(target, text);
        io.out().println("wrote " + target + " (run it: ./wirelab run " + target + ")");
        return ExitCodes.OK;
    }

    /** Temp file beside the target, fsync, atomic rename: a reader never sees half a script. */
    private static void writeAtomically(Path target, String text) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
