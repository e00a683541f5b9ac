package dev.wirelab.cli.bench;

/**
 * The benchmark guests and their exact instruction counts, from the first
 * instruction to the exit {@code hlt} inclusive (derived in
 * guest/tests/bench_*.S, checked by guest/tests/tools). The only copy of these
 * numbers in lab-cli.
 */
public enum BenchGuest {
    COMPUTE("bench_compute", "ALU loop", 1_500_000_098L),
    STORE("bench_store", "stp loop over 64 KiB", 819_600_088L);

    private final String guestName;
    private final String what;
    private final long instructions;

    BenchGuest(String guestName, String what, long instructions) {
        this.guestName = guestName;
        this.what = what;
        this.instructions = instructions;
    }

    public String guestName() {
        return guestName;
    }

    public String what() {
        return what;
    }

    public long instructions() {
        return instructions;
    }

    /** The guests named in {@code names} (null or empty: all), in table order. */
    public static java.util.List<BenchGuest> select(java.util.List<String> names) {
        if (names == null || names.isEmpty()) {
            return java.util.List.of(values());
        }
        java.util.List<BenchGuest> out = new java.util.ArrayList<>();
        for (BenchGuest g : values()) {
            if (names.contains(g.guestName)) {
                out.add(g);
            }
        }
        for (String n : names) {
            if (java.util.Arrays.stream(values()).noneMatch(g -> g.guestName.equals(n))) {
                throw new dev.wirelab.cli.UserError("--guests " + n + ": no such bench guest; choose from "
                        + String.join(", ", java.util.Arrays.stream(values()).map(BenchGuest::guestName).toList()));
            }
        }
        return out;
    }

    /** Classpath resource of the ELF build (loaded at 0x40080000, like QEMU -kernel). */
    public String resource() {
        return "/guest/tests/" + guestName + ".elf";
    }
}
