package dev.wirelab.emulator.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.replay.ReplayOptions.AddressMap;
import dev.wirelab.emulator.replay.ReplayOptions.PortMap;
import dev.wirelab.emulator.replay.ReplayOptions.Side;
import dev.wirelab.emulator.wire.Ipv4Address;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayOptionsTest {
    @Test
    void mapForms() throws Exception {
        assertEquals(new PortMap(8080, 7), ReplayOptions.parseMapping("8080=7"));
        assertEquals(new AddressMap(Ipv4Address.parse("192.168.1.5"), Ipv4Address.parse("10.0.2.15")),
                ReplayOptions.parseMapping("192.168.1.5=10.0.2.15"));
        AddressMap m = (AddressMap) ReplayOptions.parseMapping("127.0.0.1(server)=10.0.2.15");
        assertEquals(Side.SERVER, m.side());
        assertEquals("127.0.0.1(server)=10.0.2.15", m.toString());
        assertTrue(m.appliesTo(Ipv4Address.parse("127.0.0.1"), true));
        assertTrue(!m.appliesTo(Ipv4Address.parse("127.0.0.1"), false));
        assertEquals(Side.CLIENT, ((AddressMap) ReplayOptions.parseMapping("127.0.0.1(client)=10.0.2.2")).side());
        // both ends of a loopback capture, mapped apart
        assertEquals(2, ReplayOptions.parseMappings(List.of("127.0.0.1(server)=10.0.2.15", "127.0.0.1(client)=10.0.2.9")).size());
    }

    @Test
    void badMapsSayWhatIsWrong() {
        for (String[] bad : new String[][] {
            {"8080", "expected OLD=NEW"},
            {"=7", "expected OLD=NEW"},
            {"1=2=3", "expected OLD=NEW"},
            {"99999=7", "out of range"},
            {"1.2.3.4=7", "both sides must be ports or both IPv4 addresses"},
            {"1.2.3=1.2.3.4", "not an IPv4 address"},
            {"1.2.3.4(peer)=1.2.3.5", "not an IPv4 address"},
        }) {
            ReplayInputException e = assertThrows(ReplayInputException.class, () -> ReplayOptions.parseMapping(bad[0]), bad[0]);
            assertTrue(e.getMessage().startsWith("bad --map '" + bad[0] + "': "), e.getMessage());
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
        ReplayInputException twice = assertThrows(ReplayInputException.class,
                () -> ReplayOptions.parseMappings(List.of("10.0.0.1=10.0.2.15", "10.0.0.1(server)=10.0.2.16")));
        assertTrue(twice.getMessage().contains("maps the same address"), twice.getMessage());
    }
}
