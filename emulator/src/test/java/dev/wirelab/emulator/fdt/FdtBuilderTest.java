package dev.wirelab.emulator.fdt;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FdtBuilderTest {

    private static byte[] sample() {
        FdtBuilder b = new FdtBuilder();
        int ph = b.allocatePhandle();
        b.reserve(0x4800_0000L, 0x1000).bootCpuId(0);
        b.beginNode("")
                .propU32("#address-cells", 2)
                .propU32("#size-cells", 2)
                .propStrings("compatible", "acme,board", "generic")
                .propU64("big", 0x1122_3344_5566_7788L);
        b.beginNode("uart@9000000").propReg("reg", 2, 2, 0x900_0000L, 0x1000)
                .propString("compatible", "arm,pl011").propEmpty("dma-coherent").propPhandle(ph).endNode();
        b.beginNode("sub").propCells("cells", 1, 0xffff_ffffL).propU32("ref", ph)
                .beginNode("leaf").prop("raw", new byte[] {1, 2, 3}).endNode().endNode();
        b.endNode();
        return b.finish();
    }

    @Test
    void headerFollowsTheSpec() {
        byte[] dtb = sample();
        ByteBuffer h = ByteBuffer.wrap(dtb);
        assertEquals(0xd00dfeed, h.getInt(0));
        assertEquals(dtb.length, h.getInt(4));
        assertEquals(17, h.getInt(20));
        assertEquals(16, h.getInt(24));
        for (int off : new int[] {8, 12, 16}) {
            assertEquals(0, h.getInt(off) % 8, "block offset at header " + off + " is 8-byte aligned");
        }
        assertEquals(0, dtb.length % 8);
        // strings: "compatible" once although two nodes use it
        int strOff = h.getInt(12);
        String strings = new String(dtb, strOff, h.getInt(32), StandardCharsets.US_ASCII);
        assertEquals(strings.indexOf("compatible\0"), strings.lastIndexOf("compatible\0"));
    }

    @Test
    void roundTripsThroughTheReader() {
        Fdt fdt = FdtReader.parse(sample());
        assertEquals(17, fdt.version());
        assertEquals(1, fdt.reservations().size());
        assertArrayEquals(new long[] {0x4800_0000L, 0x1000}, fdt.reservations().get(0));
        FdtNode root = fdt.root();
        assertEquals("", root.name());
        assertEquals(2, root.u32("#address-cells").getAsInt());
        assertEquals(List.of("acme,board", "generic"), root.strings("compatible").orElseThrow());
        assertEquals(0x1122_3344_5566_7788L, root.u64("big").getAsLong());
        FdtNode uart = fdt.node("/uart@9000000").orElseThrow();
        assertEquals("arm,pl011", uart.string("compatible").orElseThrow());
        assertTrue(uart.has("dma-coherent"));
        assertArrayEquals(new long[] {0x900_0000L, 0x1000}, uart.reg("reg", 2, 2).get(0));
        int ph = uart.u32("phandle").getAsInt();
        assertEquals(ph, fdt.node("/sub").orElseThrow().u32("ref").getAsInt());
        assertArrayEquals(new int[] {1, -1}, fdt.node("/sub").orElseThrow().cells("cells").orElseThrow());
        assertArrayEquals(new byte[] {1, 2, 3}, fdt.node("/sub/leaf").orElseThrow().properties().get("raw"));
        assertTrue(fdt.node("/nope").isEmpty());
        String dts = fdt.toDts();
        assertTrue(dts.contains("compatible = \"acme,board\", \"generic\";"), dts);
        assertTrue(dts.contains("raw = [01 02 03];"), dts);
        assertTrue(dts.contains("reg = <0x0 0x9000000 0x0 0x1000>;"), dts);
    }

    @Test
    void misuseIsRefused() {
        FdtBuilder b = new FdtBuilder();
        assertThrows(IllegalArgumentException.class, () -> b.beginNode("root"));
        b.beginNode("");
        b.beginNode("child").endNode();
        assertThrows(IllegalStateException.class, () -> b.propU32("late", 1));
        assertThrows(IllegalStateException.class, () -> b.beginNode("child"));
        assertThrows(IllegalArgumentException.class, () -> b.beginNode("bad name"));
        assertThrows(IllegalArgumentException.class, () -> b.beginNode("x".repeat(32)));
        assertThrows(IllegalStateException.class, b::finish);
        FdtBuilder c = new FdtBuilder().beginNode("");
        c.propU32("a", 1);
        assertThrows(IllegalStateException.class, () -> c.propU32("a", 2));
        assertThrows(IllegalArgumentException.class, () -> c.propU32("p".repeat(32), 2));
        assertThrows(IllegalArgumentException.class, () -> c.propCells("c", 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> c.propReg("reg", 1, 1, 1L << 32, 1));
        c.endNode();
        assertThrows(IllegalStateException.class, c::endNode);
        assertThrows(IllegalStateException.class, () -> c.beginNode(""));
        assertEquals(0, c.finish().length % 8);
    }
}
