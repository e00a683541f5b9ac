package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.difftest.BootKind;
import dev.wirelab.emulator.difftest.GuestCase;
import dev.wirelab.emulator.difftest.GuestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lab.boot(initrd:, append:, panic:) as a script uses them. */
class LabBootOptionsTest {
    private static Path image(String name, BootKind kind) throws Exception {
        return GuestImages.file(new GuestCase(name, "/guest/tests/" + name, kind, 3, new byte[0], 0, Set.of()));
    }

    @Test
    void initrdAndAppendReachTheKernel(@TempDir Path dir) throws Exception {
        Path rd = Files.writeString(dir.resolve("rd"), "from the lab\n");
        try (Lab lab = new Lab()) {
            lab.boot(Map.of("image", image("initrd.img", BootKind.IMAGE).toString(), "initrd", rd.toString(),
                    "append", "quiet lab=1", "ready", false));
            Stop s = lab.until("initrd: done");
            assertTrue(s.reached(), s.toString());
            String text = lab.console.getText();
            assertTrue(text.contains("chosen.bootargs=quiet lab=1"), text);
            assertTrue(text.contains("initrd.first_line=from the lab"), text);
        }
    }

    @Test
    void panicPatternEndsTheRunAndBadOptionsAreBadArguments() throws Exception {
        String psci = image("psci.elf", BootKind.ELF).toString();
        try (Lab lab = new Lab()) {
            lab.boot(Map.of("image", psci, "panic", Pattern.compile("PSCI_FEATURES"), "ready", false));
            Stop s = lab.until("never printed");
            assertEquals(StopCause.GUEST_PANIC, s.cause(), s.toString());
            assertTrue(s.detail().contains("guest panic: PSCI_FEATURES"), s.toString());

            BadArgument both = assertThrows(BadArgument.class,
                    () -> lab.boot(Map.of("image", psci, "bootargs", "a", "append", "b", "ready", false)));
            assertTrue(both.getMessage().contains("bootargs or its alias append"), both.getMessage());
            BadArgument regex = assertThrows(BadArgument.class,
                    () -> lab.boot(Map.of("image", psci, "panic", "(", "ready", false)));
            assertTrue(regex.getMessage().contains("not a regular expression"), regex.getMessage());
        }
    }
}
