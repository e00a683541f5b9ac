package dev.wirelab.cli.bench;

import dev.wirelab.fuzz.input.StreamTarget;

/**
 * The bug zoo as the time-to-find bench sees it: each zoo guest, the target whose inputs can reach
 * its bug, and the start of the finding title the standard oracles give it (fuzz/README.md,
 * {@code ZooExpressibilityTest}). A finding counts for the bug only when its title starts so.
 */
enum ZooBug {
    SMOLTCP_1048("smoltcp-1048", StreamTarget.TCP_ESTABLISHED, "panic: attempt to subtract sequence numbers with underflow"),
    SMOLTCP_1136("smoltcp-1136", StreamTarget.TCP_ESTABLISHED, "panic: attempt to subtract with overflow"),
    SMOLTCP_1144("smoltcp-1144", StreamTarget.TCP_LISTEN, "panic: assertion failed: !ip_addr_isany"),
    SMOLTCP_1161("smoltcp-1161", StreamTarget.TCP_LISTEN, "liveness: guest transmits without end"),
    AKUMA_DEADLOCK("akuma-deadlock", StreamTarget.TCP_ESTABLISHED, "hang: guest spinning in zoo_stack_lock_irqsave"),
    AKUMA_TORN_STATE("akuma-torn-state", StreamTarget.TCP_INTERLEAVE, "panic: already borrowed"),
    AWKERNEL_682("awkernel-682", StreamTarget.TCP_INTERLEAVE, "panic: assertion failed: four_tuple_unique"),
    LWIP_2_1_3("lwip-2.1.3", StreamTarget.TCP_ESTABLISHED, "panic: lwIP assertion: ");

    final String id;
    final StreamTarget target;
    final String titlePrefix;

    ZooBug(String id, StreamTarget target, String titlePrefix) {
        this.id = id;
        this.target = target;
        this.titlePrefix = titlePrefix;
    }

    /** {@code zoo:NAME}, as {@code wirelab fuzz --guest} takes it. */
    String guest() {
        return "zoo:" + id;
    }

    boolean matches(String title) {
        return title.startsWith(titlePrefix);
    }

    /** By zoo name ({@code smoltcp-1048}, with or without {@code zoo:}). */
    static ZooBug byId(String name) {
        String n = name.startsWith("zoo:") ? name.substring(4) : name;
        for (ZooBug b : values()) {
            if (b.id.equals(n)) {
                return b;
            }
        }
        return null;
    }
}
