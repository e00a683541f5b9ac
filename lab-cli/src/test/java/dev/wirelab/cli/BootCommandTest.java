package dev.wirelab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootCommandTest {
    /** {@code movz x2, #0x2000, lsl #16; str w1, [x2]}: a store to 0x20000000, where the board has nothing. */
    static final byte[] STORE_TO_HOLE = {0x02, 0x00, (byte) 0xa4, (byte) 0xd2, 0x41, 0x00, 0x00, (byte) 0xb9};

    @TempDir
    Path dir;

    @Test
    void helloExitsZeroWithItsConsoleLine() {
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "hello.elf"));
        assertEquals(0, r.code(), r::toString);
        assertEquals("hello from wirelab test guest\n", r.out(), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void semihostingExitCodeBecomesTheProcessExitCode() {
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "semihost.elf"));
        assertEquals(3, r.code(), r::toString);
        assertTrue(r.out().contains("write0: hello from semihosting"), r::toString);
        assertEquals("", r.err(), "a guest exit is not an error: " + r);
    }

    @Test
    void psciSystemOffExitsZero() {
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "psci.elf"));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().endsWith("psci: SYSTEM_OFF\n"), r::toString);
    }

    @Test
    void exhaustedBudgetExits124WithOneLine() {
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "bench_compute.elf"), "--max-insns", "1000");
        assertEquals(124, r.code(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("wirelab: instruction budget exhausted after 1000 instructions"), r::toString);
    }

    @Test
    void guestFaultExits125NamingTheUnmappedAccess() {
        // The DTB sits at the RAM base, so the raw code goes 2 MiB above it.
        String image = Cli.write(dir, "fault.bin", STORE_TO_HOLE);
        Cli.Result r = Cli.run("boot", image, "--format", "raw", "--load-addr", "0x40200000");
        assertEquals(125, r.code(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("unmapped address 0x20000000"), r::toString);
        assertTrue(r.err().contains("0x40200004"), "names the faulting PC: " + r);
    }

    /** {@code movz x2, #0x900, lsl #16; str w1, [x2, #0xfe0]; b .}: writes a read-only PL011 ID register, then spins. */
    static final byte[] UART_ID_WRITE = {0x02, 0x20, (byte) 0xa1, (byte) 0xd2, 0x41, (byte) 0xe0, 0x0f, (byte) 0xb9,
        0x00, 0x00, 0x00, 0x14};

    @Test
    void guestErrorsAreReportedOnlyWhenAsked() {
        String image = Cli.write(dir, "uart_id.bin", UART_ID_WRITE);
        String[] args = {"boot", image, "--format", "raw", "--load-addr", "0x40200000", "--max-insns", "100"};
        Cli.Result quiet = Cli.run(args);
        assertEquals(124, quiet.code(), quiet::toString);
        assertEquals(1, quiet.errLines().size(), quiet::toString);

        String[] withFlag = java.util.Arrays.copyOf(args, args.length + 1);
        withFlag[args.length] = "--guest-errors";
        Cli.Result loud = Cli.run(withFlag);
        assertEquals(124, loud.code(), loud::toString);
        assertEquals(2, loud.errLines().size(), loud::toString);
        assertTrue(loud.errLines().get(0).matches("guest error: \\[\\d+] pl011: .*read-only offset 0xfe0"), loud::toString);
        assertTrue(loud.errLines().get(1).startsWith("wirelab: instruction budget exhausted"), loud::toString);
    }

    @Test
    void traceHashIsTheSameForTheSameRunAndDiffersForAnotherGuest() {
        String hello = Cli.guest(dir, "hello.elf");
        String first = traceHash(Cli.run("boot", hello, "--trace-hash"));
        String second = traceHash(Cli.run("boot", hello, "--trace-hash"));
        String psci = traceHash(Cli.run("boot", Cli.guest(dir, "psci.elf"), "--trace-hash"));
        assertEquals(first, second);
        assertNotEquals(first, psci);
    }

    @Test
    void traceHashLineComesAfterTheConsole() {
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "hello.elf"), "--trace-hash");
        assertTrue(r.out().matches("hello from wirelab test guest\ntrace-hash: [0-9a-f]{64}\n"), r::toString);
    }

    @Test
    void dtbDumpAsDtsDescribesTheChosenGic() throws IOException {
        String hello = Cli.guest(dir, "hello.elf");
        Path v3 = dir.resolve("v3.dts");
        Path v2 = dir.resolve("v2.dts");
        assertEquals(0, Cli.run("boot", hello, "--dtb-dump", v3.toString()).code());
        assertEquals(0, Cli.run("boot", hello, "--gic", "2", "--dtb-dump", v2.toString()).code());
        String dts3 = Files.readString(v3);
        String dts2 = Files.readString(v2);
        assertTrue(dts3.startsWith("/dts-v1/;"), dts3);
        assertTrue(dts3.contains("arm,gic-v3"), dts3);
        assertTrue(dts2.contains("arm,cortex-a15-gic"), dts2);
        assertTrue(!dts2.contains("arm,gic-v3"), dts2);
    }

    @Test
    void dtbDumpWithoutDtsSuffixWritesTheBinaryBlob() throws IOException {
        Path dtb = dir.resolve("virt.dtb");
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "hello.elf"), "--dtb-dump", dtb.toString(), "--bootargs", "console=ttyAMA0");
        assertEquals(0, r.code(), r::toString);
        byte[] b = Files.readAllBytes(dtb);
        assertEquals(0xd00dfeedL, ((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
        assertTrue(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains("console=ttyAMA0"));
    }

    @Test
    void inputIsQueuedForTheUart() {
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "uart_rx.elf"), "--input", "Hello, wirelab. Not read\\n");
        assertEquals(0, r.code(), r::toString);
        assertEquals("uart_rx: ready\nHELLO, WIRELAB.\nuart_rx: 15 bytes\n", r.out(), r::toString);
    }

    @Test
    void inputFromAFile() {
        String input = Cli.write(dir, "input.txt", "abc.\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "uart_rx.elf"), "--input", "@" + input);
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("ABC.\n"), r::toString);
    }

    @Test
    void withoutAnImageTheEmbeddedDefaultGuestBoots() {
        boolean hasKernel = GuestImage.resource(GuestImage.DEFAULT_KERNEL).isPresent();
        // The default guest is a server: it runs until its budget ends (124) after printing its ready line.
        Cli.Result r = Cli.run("boot", "--trace-hash", "--max-insns", "2000000");
        assertEquals(hasKernel ? 124 : 0, r.code(), r::toString);
        assertTrue(r.out().contains(hasKernel ? "wirelab-guest: ready" : "hello"), r::toString);
        assertTrue(r.out().contains("trace-hash: "), r::toString);
        assertEquals(!hasKernel, r.err().contains("booting the test guest"), r::toString);
    }

    @Test
    void firmwareBuildBootsFromFlash() {
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "hello.bin"), "--gic", "2");
        assertEquals(0, r.code(), r::toString);
        assertEquals("hello from wirelab test guest\n", r.out(), r::toString);
    }

    @Test
    void demoExercisesTheDefaultGuestOnTheWireAndRepeatsExactly() {
        Cli.Result r = Cli.run("demo");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("+- wirelab demo "), r::toString);
        assertTrue(r.out().contains("wirelab-guest: ready"), r::toString);
        for (String step : new String[] {"ok    ping 10.0.2.15", "ok    TCP echo on port 7", "ok    HTTP GET / on port 80",
                "ok    timer tick forced inside tcp_input", "ok    replayed from a snapshot"}) {
            assertTrue(r.out().contains(step), () -> "missing '" + step + "' in\n" + r);
        }
        Matcher m = Pattern.compile("trace hash: +([0-9a-f]{64})").matcher(r.out());
        assertTrue(m.find(), r::toString);
        Matcher again = Pattern.compile("trace hash: +([0-9a-f]{64})").matcher(Cli.run("demo").out());
        assertTrue(again.find());
        assertEquals(m.group(1), again.group(1), "the demo is deterministic");
    }

    static String traceHash(Cli.Result r) {
        assertEquals(0, r.code(), r::toString);
        Matcher m = Pattern.compile("(?m)^trace-hash: ([0-9a-f]{64})$").matcher(r.out());
        assertTrue(m.find(), r::toString);
        return m.group(1);
    }

    @Test
    void flashImagesBackTheCfiBanks() throws IOException {
        Path f1 = dir.resolve("vars.img");
        byte[] data = new byte[64 << 20];
        data[0] = 'H';
        Files.write(f1, data);
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "flash.bin"), "--flash1", f1.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("bank1 array=0x00000048"), r::toString);
        assertTrue(r.out().contains("program status=0x00b000b0"), "read-only unless --flash-rw: " + r);

        Cli.Result rw = Cli.run("boot", Cli.guest(dir, "flash.bin"), "--flash1", f1.toString(), "--flash-rw");
        assertEquals(0, rw.code(), rw::toString);
        assertTrue(rw.out().contains("programmed word=0x12345678"), rw::toString);
        assertEquals(0x78, Files.readAllBytes(f1)[(256 << 10) + 8], "written through to the image");
    }

    @Test
    void firmwareInFlash0BootsWithoutAnImage() {
        Cli.Result r = Cli.run("boot", "--flash0", Cli.guest(dir, "flash.bin"));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("flash: running from flash\n"), r::toString);
        assertTrue(r.out().contains("programmed word=0x12345678") && r.out().contains("flash: done"), r::toString);
    }

    @Test
    void badFlashArgumentsAreOneLineExit2() throws IOException {
        Cli.Result noImage = Cli.run("boot", Cli.guest(dir, "hello.elf"), "--flash-rw");
        assertEquals(2, noImage.code(), noImage::toString);
        assertTrue(noImage.err().contains("--flash-rw needs --flash0 FILE or --flash1 FILE"), noImage::toString);
        Path small = dir.resolve("small.img");
        Files.write(small, new byte[4096]);
        Cli.Result wrongSize = Cli.run("boot", Cli.guest(dir, "hello.elf"), "--flash0", small.toString(), "--flash-rw");
        assertEquals(2, wrongSize.code(), wrongSize::toString);
        assertEquals(1, wrongSize.errLines().size(), wrongSize::toString);
        assertTrue(wrongSize.err().contains("must be exactly 64M"), wrongSize::toString);
        Cli.Result missing = Cli.run("boot", Cli.guest(dir, "hello.elf"), "--flash1", dir.resolve("nope").toString());
        assertEquals(2, missing.code(), missing::toString);
        assertTrue(missing.err().contains("--flash1"), missing::toString);
    }

    @Test
    void expectSendAnswersThePromptWhenItAppears() {
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "uart_rx.elf"), "--expect", "uart_rx: ready", "--send", "typed late.");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("TYPED LATE.") && r.out().contains("uart_rx: 11 bytes"), r::toString);

        Cli.Result unmet = Cli.run("boot", Cli.guest(dir, "hello.elf"), "--expect", "a prompt that never comes");
        assertEquals(3, unmet.code(), unmet::toString);
        assertEquals(1, unmet.errLines().size(), unmet::toString);
        assertTrue(unmet.err().contains("--expect 'a prompt that never comes' never appeared: the guest exited"),
                unmet::toString);

        Cli.Result orphan = Cli.run("boot", Cli.guest(dir, "hello.elf"), "--send", "x");
        assertEquals(2, orphan.code(), orphan::toString);
        assertTrue(orphan.err().contains("--send 'x' has no --expect before it"), orphan::toString);
    }

    @Test
    void netAttachesTheWireAndCapturesTheGuestsDhcp() throws Exception {
        String image;
        try (var in = BootCommandTest.class.getResourceAsStream("/guest/kernel/wirelab-guest.Image")) {
            assertTrue(in != null, "default guest Image not built");
            image = Cli.write(dir, "wirelab-guest.Image", in.readAllBytes());
        }
        Path pcap = dir.resolve("boot.pcapng");
        Cli.Result r = Cli.run("boot", image, "--net", "--append", "ip=dhcp", "--capture", pcap.toString(),
                "--expect", "wirelab-guest: ready", "--max-insns", "1500000000");
        assertEquals(124, r.code(), "the default guest never exits; its budget ends the run: " + r);
        assertTrue(r.out().contains("wirelab-guest: ip 10.0.2.15 gw 10.0.2.2 (dhcp)"), r::toString);
        var capture = dev.wirelab.emulator.capture.CaptureReader.read(pcap);
        assertTrue(capture.frames().size() >= 4, "DISCOVER, OFFER, REQUEST, ACK: " + capture.frames().size());

        Cli.Result noWire = Cli.run("boot", image, "--append", "ip=dhcp", "--expect", "(dhcp)", "--max-insns", "300000000");
        assertEquals(3, noWire.code(), "without --net nobody answers DHCP: " + noWire);
        assertTrue(noWire.err().contains("--expect '(dhcp)' never appeared: instruction budget exhausted"), noWire::toString);

        Cli.Result badTftp = Cli.run("boot", image, "--tftp", dir.resolve("nope").toString());
        assertEquals(2, badTftp.code(), badTftp::toString);
        assertTrue(badTftp.err().contains("--tftp"), badTftp::toString);
    }
}
