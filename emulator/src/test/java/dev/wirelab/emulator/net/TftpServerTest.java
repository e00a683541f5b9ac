package dev.wirelab.emulator.net;

import dev.wirelab.emulator.TestImages;
import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.capture.Direction;
import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.UdpDatagram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TFTP read requests from the guest's side of the wire (a client as RFC 1350 describes it) against the server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TftpServerTest {
    private Path dir;
    private Board board;
    private VirtualWire wire;
    private TftpServer tftp;
    private Snapshot ready;
    private final byte[] kernel = new byte[1300];
    private int clientPort = 2000;

    @BeforeAll
    void boot() throws Exception {
        dir = Files.createTempDirectory("wirelab-tftp");
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = (byte) (i * 7 + 3);
        }
        Files.write(dir.resolve("Image"), kernel);
        Files.createDirectories(dir.resolve("boot"));
        Files.write(dir.resolve("boot/exact.bin"), Arrays.copyOf(kernel, 1024));
        Files.writeString(dir.getParent().resolve("wirelab-tftp-secret"), "not served");
        board = Board.create(BoardConfig.defaults());
        wire = VirtualWire.attach(board);
        tftp = TftpServer.serve(wire, dir);
        TestImages.bootDefaultGuest(board);
        ready = board.snapshot();
    }

    @AfterAll
    void close() throws Exception {
        if (board != null) {
            board.close();
        }
        Files.deleteIfExists(dir.getParent().resolve("wirelab-tftp-secret"));
    }

    @BeforeEach
    void reset() {
        board.restore(ready);
        clientPort++;
    }

    private static byte[] packet(int opcode, Object... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(opcode >>> 8);
        o.write(opcode);
        for (Object p : parts) {
            if (p instanceof Integer n) {
                o.write(n >>> 8);
                o.write(n);
            } else {
                o.writeBytes(String.valueOf(p).getBytes(StandardCharsets.US_ASCII));
                o.write(0);
            }
        }
        return o.toByteArray();
    }

    /** Sends {@code payload} from the guest's port to 10.0.2.2:69; returns the server's answers (UDP from port 69). */
    private List<UdpDatagram> send(byte[] payload) {
        List<UdpDatagram> seen = new ArrayList<>();
        VirtualWire.Tap tap = (n, d, f) -> {
            Packet p = Packet.parse(f);
            if (d == Direction.INBOUND && p.udp() != null && p.udp().sourcePort() == TftpServer.PORT) {
                assertEquals(VirtualWire.HOST_IP, p.ipv4().source());
                assertEquals(clientPort, p.udp().destinationPort());
                seen.add(p.udp());
            }
        };
        wire.addTap(tap);
        try {
            wire.fromGuest(EthernetFrame.builder().source(MacAddress.of(board.nic().mac())).destination(VirtualWire.HOST_MAC)
                    .payload(Ipv4Packet.builder().source(VirtualWire.GUEST_IP).destination(VirtualWire.HOST_IP)
                            .payload(UdpDatagram.builder().ports(clientPort, TftpServer.PORT).payload(payload)))
                    .encode());
            wire.runFor(2_000_000);
        } finally {
            wire.removeTap(tap);
        }
        return seen;
    }

    private static int u16(UdpDatagram d, int at) {
        return d.payload().u16(at);
    }

    private static String text(UdpDatagram d, int from) {
        byte[] b = d.payload().slice(from).toArray();
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** Reads {@code first}'s transfer to the end, acknowledging every block; returns the file. */
    private byte[] readAll(UdpDatagram first, int blksize) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        UdpDatagram d = first;
        int expect = 1;
        while (true) {
            assertEquals(TftpServer.DATA, u16(d, 0), "DATA");
            assertEquals(expect, u16(d, 2), "block number");
            int len = d.payload().length() - 4;
            file.writeBytes(d.payload().slice(4).toArray());
            List<UdpDatagram> next = send(packet(TftpServer.ACK, expect));
            if (len < blksize) {
                assertEquals(List.of(), next, "nothing after the last block's ACK");
                return file.toByteArray();
            }
            assertEquals(1, next.size());
            d = next.getFirst();
            expect++;
        }
    }

    @Test
    void readRequestIsServedIn512ByteBlocks() {
        List<UdpDatagram> first = send(packet(TftpServer.RRQ, "Image", "octet"));
        assertEquals(1, first.size());
        assertEquals(512, first.getFirst().payload().length() - 4);
        assertArrayEquals(kernel, readAll(first.getFirst(), 512));
        assertEquals(1, tftp.requests());
    }

    @Test
    void aFileOfWholeBlocksEndsWithAnEmptyBlock() {
        List<UdpDatagram> first = send(packet(TftpServer.RRQ, "/boot/exact.bin", "OCTET"));
        assertArrayEquals(Arrays.copyOf(kernel, 1024), readAll(first.getFirst(), 512));
    }

    @Test
    void blksizeAndTsizeAreAcknowledgedInAnOack() {
        List<UdpDatagram> oack = send(packet(TftpServer.RRQ, "Image", "octet", "blksize", "1024", "tsize", "0"));
        assertEquals(1, oack.size());
        assertEquals(TftpServer.OACK, u16(oack.getFirst(), 0));
        assertEquals("blksize\u00001024\u0000tsize\u00001300\u0000", text(oack.getFirst(), 2));
        List<UdpDatagram> first = send(packet(TftpServer.ACK, 0));
        assertEquals(1024, first.getFirst().payload().length() - 4);
        assertArrayEquals(kernel, readAll(first.getFirst(), 1024));

        List<UdpDatagram> clamped = send(packet(TftpServer.RRQ, "Image", "octet", "blksize", "65464"));
        assertEquals("blksize\u00001428\u0000", text(clamped.getFirst(), 2));
    }

    @Test
    void missingFilesWritesAndEscapesGetSlirpsErrors() {
        UdpDatagram missing = send(packet(TftpServer.RRQ, "no-such-file", "octet")).getFirst();
        assertEquals(TftpServer.ERROR, u16(missing, 0));
        assertEquals(TftpServer.NOT_FOUND, u16(missing, 2));
        assertEquals("File not found\u0000", text(missing, 4));
        UdpDatagram escape = send(packet(TftpServer.RRQ, "../wirelab-tftp-secret", "octet")).getFirst();
        assertEquals(TftpServer.ACCESS_VIOLATION, u16(escape, 2));
        UdpDatagram write = send(packet(TftpServer.WRQ, "Image", "octet")).getFirst();
        assertEquals(TftpServer.ACCESS_VIOLATION, u16(write, 2));
        UdpDatagram mode = send(packet(TftpServer.RRQ, "Image", "netascii")).getFirst();
        assertEquals(TftpServer.ILLEGAL_OPERATION, u16(mode, 2));
        UdpDatagram stray = send(packet(TftpServer.ACK, 5)).getFirst();
        assertEquals(TftpServer.UNKNOWN_TID, u16(stray, 2));
        assertTrue(send(new byte[] {0}).isEmpty(), "a runt is dropped");
    }
}
